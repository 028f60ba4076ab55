import { strict as assert } from 'node:assert';
import {
  AUDIT_ARCH_AARCH64,
  AUDIT_ARCH_X86_64,
  BPF_ALU_AND_K,
  BPF_JMP_JEQ_K,
  BPF_JMP_JSET_K,
  BPF_LD_W_ABS,
  BPF_RET_K,
  networkSeccompFilter,
  RET_EPERM,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_KILL_PROCESS,
  SYSCALLS,
  type SeccompArch,
} from '../../../../src/core/exec/seccomp';

interface Insn {
  code: number;
  jt: number;
  jf: number;
  k: number;
}

function decode(program: Buffer): Insn[] {
  assert.equal(program.length % 8, 0);
  const out: Insn[] = [];
  for (let i = 0; i < program.length; i += 8) out.push({ code: program.readUInt16LE(i), jt: program.readUInt8(i + 2), jf: program.readUInt8(i + 3), k: program.readUInt32LE(i + 4) });
  return out;
}

/** A classic-BPF interpreter for the opcodes a seccomp filter may use here, over a struct seccomp_data. */
function run(program: Insn[], data: { nr: number; arch: number; args?: bigint[] }): number {
  const buf = Buffer.alloc(64);
  buf.writeInt32LE(data.nr | 0, 0);
  buf.writeUInt32LE(data.arch, 4);
  (data.args ?? []).forEach((arg, i) => buf.writeBigUInt64LE(arg, 16 + 8 * i));
  let acc = 0;
  for (let pc = 0; pc < program.length; pc++) {
    const insn = program[pc]!;
    switch (insn.code) {
      case BPF_LD_W_ABS:
        assert.ok(insn.k % 4 === 0 && insn.k + 4 <= 64, `load inside seccomp_data at ${pc}`);
        acc = buf.readUInt32LE(insn.k);
        break;
      case BPF_ALU_AND_K:
        acc = (acc & insn.k) >>> 0;
        break;
      case BPF_JMP_JEQ_K:
        pc += acc === insn.k ? insn.jt : insn.jf;
        break;
      case BPF_JMP_JSET_K:
        pc += (acc & insn.k) !== 0 ? insn.jt : insn.jf;
        break;
      case BPF_RET_K:
        return insn.k;
      default:
        assert.fail(`unexpected opcode 0x${insn.code.toString(16)} at ${pc}`);
    }
  }
  return assert.fail('fell off the end of the program');
}

const AF_INET = 2n;
const AF_INET6 = 10n;
const AF_NETLINK = 16n;
const AF_VSOCK = 40n;
const AF_UNIX = 1n;
const SOCK_STREAM = 1n;
const SOCK_DGRAM = 2n;
const SOCK_RAW = 3n;
const SOCK_SEQPACKET = 5n;
const SOCK_CLOEXEC = 0x80000n;
const SOCK_NONBLOCK = 0x800n;

/** Syscalls that must keep working: read, write, sendmsg, recvmsg, recvfrom, getsockopt, shutdown. */
const HARMLESS: Record<SeccompArch, number[]> = { x64: [0, 1, 45, 46, 47, 48, 55, 59], arm64: [63, 64, 207, 211, 212, 209, 210, 221] };

describe('core/exec/seccomp', () => {
  for (const arch of ['x64', 'arm64'] as const) {
    const audit = arch === 'x64' ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64;
    const nr = SYSCALLS[arch];
    const program = decode(networkSeccompFilter(arch));
    const call = (syscall: number, args: bigint[] = []) => run(program, { nr: syscall, arch: audit, args });

    it(`${arch}: checks the architecture first and kills a foreign ABI`, () => {
      assert.deepEqual(program[0], { code: BPF_LD_W_ABS, jt: 0, jf: 0, k: 4 });
      assert.deepEqual(program[1], { code: BPF_JMP_JEQ_K, jt: 1, jf: 0, k: audit });
      assert.deepEqual(program[2], { code: BPF_RET_K, jt: 0, jf: 0, k: SECCOMP_RET_KILL_PROCESS });
      assert.ok(program.length < 4096, 'BPF_MAXINSNS');
      assert.equal(program.at(-1)!.code, BPF_RET_K);
      // i386 (int 0x80) socketcall, arm32 socket, and the other 64-bit arch's numbers.
      assert.equal(run(program, { nr: 102, arch: 0x40000003 }), SECCOMP_RET_KILL_PROCESS);
      assert.equal(run(program, { nr: 281, arch: 0x40000028 }), SECCOMP_RET_KILL_PROCESS);
      assert.equal(run(program, { nr: 1, arch: arch === 'x64' ? AUDIT_ARCH_AARCH64 : AUDIT_ARCH_X86_64 }), SECCOMP_RET_KILL_PROCESS);
    });

    it(`${arch}: refuses connect, bind, listen, accept, sendmmsg, io_uring and ptrace with EPERM`, () => {
      for (const name of ['connect', 'bind', 'listen', 'accept', 'accept4', 'sendmmsg', 'io_uring_setup', 'io_uring_enter', 'io_uring_register', 'ptrace', 'process_vm_readv', 'process_vm_writev'] as const) {
        assert.equal(call(nr[name], [3n, 0x7fff0000n, 16n]), RET_EPERM, name);
      }
      assert.equal(RET_EPERM, 0x00050001);
    });

    it(`${arch}: allows only AF_UNIX stream and seqpacket sockets`, () => {
      for (const syscall of [nr.socket, nr.socketpair]) {
        for (const domain of [AF_INET, AF_INET6, AF_NETLINK, AF_VSOCK, 0n]) assert.equal(call(syscall, [domain, SOCK_STREAM, 0n]), RET_EPERM, `domain ${domain}`);
        assert.equal(call(syscall, [AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0n]), SECCOMP_RET_ALLOW);
        assert.equal(call(syscall, [AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK, 0n]), SECCOMP_RET_ALLOW);
        // Datagrams (AF_UNIX makes SOCK_RAW one too) would let sendmsg() name a host socket.
        assert.equal(call(syscall, [AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0n]), RET_EPERM);
        assert.equal(call(syscall, [AF_UNIX, SOCK_RAW, 0n]), RET_EPERM);
        // The kernel reads the domain as an int: the high word does not change it.
        assert.equal(call(syscall, [(1n << 32n) | AF_INET, SOCK_STREAM, 0n]), RET_EPERM);
      }
    });

    it(`${arch}: allows sendto without a destination (send()) and refuses one with`, () => {
      assert.equal(call(nr.sendto, [3n, 0x1000n, 5n, 0n, 0n, 0n]), SECCOMP_RET_ALLOW);
      assert.equal(call(nr.sendto, [3n, 0x1000n, 5n, 0n, 0x7ffc1234n, 16n]), RET_EPERM);
      assert.equal(call(nr.sendto, [3n, 0x1000n, 5n, 0n, 0x5_00000000n, 16n]), RET_EPERM, 'only the high word set');
    });

    it(`${arch}: leaves everything else alone`, () => {
      for (const syscall of HARMLESS[arch]) assert.equal(call(syscall, [1n, 2n, 3n]), SECCOMP_RET_ALLOW, String(syscall));
    });
  }

  it('x64: refuses every x32 syscall (the x32 bit would dodge the number checks)', () => {
    const program = decode(networkSeccompFilter('x64'));
    for (const syscall of [42, 41, 0, 1]) assert.equal(run(program, { nr: 0x40000000 | syscall, arch: AUDIT_ARCH_X86_64, args: [2n, 1n] }), RET_EPERM);
    assert.ok(program.some((insn) => insn.code === BPF_JMP_JSET_K && insn.k === 0x40000000));
  });

  it('uses the syscall numbers of each kernel ABI', () => {
    assert.deepEqual([SYSCALLS.x64.socket, SYSCALLS.x64.connect, SYSCALLS.x64.sendto, SYSCALLS.x64.ptrace, SYSCALLS.x64.io_uring_setup], [41, 42, 44, 101, 425]);
    assert.deepEqual([SYSCALLS.arm64.socket, SYSCALLS.arm64.connect, SYSCALLS.arm64.sendto, SYSCALLS.arm64.ptrace, SYSCALLS.arm64.io_uring_setup], [198, 203, 206, 117, 425]);
  });
});
