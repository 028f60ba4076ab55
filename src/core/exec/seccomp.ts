// The seccomp network filter handed to bubblewrap (`--seccomp FD`) when a sandboxed command has no network.
// `--unshare-net` alone leaves every host unix socket reachable by path (docker.sock, D-Bus, ssh-agent): a
// read-only bind does not stop connect() on a socket inode. So the filter takes away the syscalls that reach
// another endpoint, while pipes, socketpairs and plain send()/recv() on them keep working.
//
// The program is classic BPF over struct seccomp_data (nr at 0, arch at 4, args[i] at 16 + 8*i, little
// endian); each instruction is struct sock_filter { u16 code; u8 jt; u8 jf; u32 k }.

export type SeccompArch = 'x64' | 'arm64';

export const AUDIT_ARCH_X86_64 = 0xc000003e;
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;
/** x32 syscalls are x86_64 numbers with this bit set; they would slip past the number checks. */
export const X32_SYSCALL_BIT = 0x40000000;

export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
export const SECCOMP_RET_ALLOW = 0x7fff0000;
export const SECCOMP_RET_ERRNO = 0x00050000;
export const EPERM = 1;
export const RET_EPERM = SECCOMP_RET_ERRNO | EPERM;

export const AF_UNIX = 1;
export const SOCK_STREAM = 1;
export const SOCK_SEQPACKET = 5;
/** The socket type without SOCK_NONBLOCK / SOCK_CLOEXEC. */
export const SOCK_TYPE_MASK = 0xf;

// BPF opcodes (linux/bpf_common.h).
export const BPF_LD_W_ABS = 0x20;
export const BPF_ALU_AND_K = 0x54;
export const BPF_JMP_JEQ_K = 0x15;
export const BPF_JMP_JSET_K = 0x45;
export const BPF_RET_K = 0x06;

export const SECCOMP_DATA_NR = 0;
export const SECCOMP_DATA_ARCH = 4;
export const seccompArgLow = (index: number) => 16 + 8 * index;
export const seccompArgHigh = (index: number) => 16 + 8 * index + 4;

type SyscallName =
  | 'socket'
  | 'socketpair'
  | 'connect'
  | 'bind'
  | 'listen'
  | 'accept'
  | 'accept4'
  | 'sendto'
  | 'sendmmsg'
  | 'ptrace'
  | 'process_vm_readv'
  | 'process_vm_writev'
  | 'io_uring_setup'
  | 'io_uring_enter'
  | 'io_uring_register';

/** Syscall numbers per architecture (arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h). */
export const SYSCALLS: Record<SeccompArch, Record<SyscallName, number>> = {
  x64: {
    socket: 41, connect: 42, accept: 43, sendto: 44, bind: 49, listen: 50, socketpair: 53, ptrace: 101,
    accept4: 288, sendmmsg: 307, process_vm_readv: 310, process_vm_writev: 311,
    io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
  },
  arm64: {
    socket: 198, socketpair: 199, bind: 200, listen: 201, accept: 202, connect: 203, sendto: 206, ptrace: 117,
    accept4: 242, sendmmsg: 269, process_vm_readv: 270, process_vm_writev: 271,
    io_uring_setup: 425, io_uring_enter: 426, io_uring_register: 427,
  },
};

/**
 * Denied whatever their arguments:
 * - connect/bind/listen/accept/accept4: reaching or offering an endpoint (a unix socket path included);
 * - sendmmsg: carries a destination per message that seccomp cannot read (only UDP resolvers use it);
 * - io_uring_*: io_uring performs socket/connect without those syscalls;
 * - ptrace, process_vm_*: a traced process's syscalls and memory are a way around the filter.
 */
const ALWAYS_DENIED: readonly SyscallName[] = [
  'connect', 'bind', 'listen', 'accept', 'accept4', 'sendmmsg',
  'io_uring_setup', 'io_uring_enter', 'io_uring_register',
  'ptrace', 'process_vm_readv', 'process_vm_writev',
];

// sendmsg/recvmsg stay allowed: seccomp cannot read msg_name behind the pointer, and denying them breaks
// libuv handle passing and any socketpair protocol. The only socket where msg_name reaches a new peer is an
// AF_UNIX datagram socket (stream and seqpacket ignore or refuse it), so socket()/socketpair() allow only
// SOCK_STREAM and SOCK_SEQPACKET (AF_UNIX turns SOCK_RAW into a datagram socket): with no datagram socket,
// sendmsg(msg_name) has nothing to send from.

type Instruction = { code: number; jt: number | string; jf: number | string; k: number } | { label: string };

const stmt = (code: number, k: number): Instruction => ({ code, jt: 0, jf: 0, k });
const jump = (code: number, k: number, jt: number | string, jf: number | string): Instruction => ({ code, jt, jf, k });
const label = (name: string): Instruction => ({ label: name });

/** The network filter for one architecture, as the bytes bubblewrap reads from its --seccomp fd. */
export function networkSeccompFilter(arch: SeccompArch): Buffer {
  return assemble(networkProgram(arch));
}

/** The architecture node runs on, if the filter supports it. */
export function hostSeccompArch(arch: string = process.arch): SeccompArch | undefined {
  return arch === 'x64' || arch === 'arm64' ? arch : undefined;
}

function networkProgram(arch: SeccompArch): Instruction[] {
  const nr = SYSCALLS[arch];
  const program: Instruction[] = [
    // Another ABI (i386 via int 0x80 has socketcall, arm32 likewise) has other numbers: kill, do not guess.
    stmt(BPF_LD_W_ABS, SECCOMP_DATA_ARCH),
    jump(BPF_JMP_JEQ_K, arch === 'x64' ? AUDIT_ARCH_X86_64 : AUDIT_ARCH_AARCH64, 1, 0),
    stmt(BPF_RET_K, SECCOMP_RET_KILL_PROCESS),
    stmt(BPF_LD_W_ABS, SECCOMP_DATA_NR),
  ];
  if (arch === 'x64') program.push(jump(BPF_JMP_JSET_K, X32_SYSCALL_BIT, 'deny', 0));
  for (const name of ALWAYS_DENIED) program.push(jump(BPF_JMP_JEQ_K, nr[name], 'deny', 0));
  program.push(jump(BPF_JMP_JEQ_K, nr.socket, 'socket', 0));
  program.push(jump(BPF_JMP_JEQ_K, nr.socketpair, 'socket', 0));
  program.push(jump(BPF_JMP_JEQ_K, nr.sendto, 'sendto', 0));
  program.push(stmt(BPF_RET_K, SECCOMP_RET_ALLOW));
  // socket(domain, type, protocol) and socketpair: AF_UNIX streams only (ints: the low words are compared).
  program.push(
    label('socket'),
    stmt(BPF_LD_W_ABS, seccompArgLow(0)),
    jump(BPF_JMP_JEQ_K, AF_UNIX, 0, 'deny'),
    stmt(BPF_LD_W_ABS, seccompArgLow(1)),
    stmt(BPF_ALU_AND_K, SOCK_TYPE_MASK),
    jump(BPF_JMP_JEQ_K, SOCK_STREAM, 'allow', 0),
    jump(BPF_JMP_JEQ_K, SOCK_SEQPACKET, 'allow', 'deny'),
  );
  // sendto(fd, buf, len, flags, dest_addr, addrlen): libc's send() passes a NULL dest_addr; any other
  // pointer (both 32-bit halves checked) names a destination.
  program.push(
    label('sendto'),
    stmt(BPF_LD_W_ABS, seccompArgLow(4)),
    jump(BPF_JMP_JEQ_K, 0, 0, 'deny'),
    stmt(BPF_LD_W_ABS, seccompArgHigh(4)),
    jump(BPF_JMP_JEQ_K, 0, 'allow', 'deny'),
  );
  // Shared exits last: classic BPF only jumps forward.
  program.push(label('allow'), stmt(BPF_RET_K, SECCOMP_RET_ALLOW));
  program.push(label('deny'), stmt(BPF_RET_K, RET_EPERM));
  return program;
}

/** Resolves labels to forward offsets and packs 8 bytes per instruction. */
function assemble(program: Instruction[]): Buffer {
  const positions = new Map<string, number>();
  let count = 0;
  for (const item of program) {
    if ('label' in item) positions.set(item.label, count);
    else count++;
  }
  const buffer = Buffer.alloc(count * 8);
  let index = 0;
  for (const item of program) {
    if ('label' in item) continue;
    const offset = (target: number | string) => {
      if (typeof target === 'number') return target;
      const at = positions.get(target);
      // BPF jumps only go forward, at most 255 instructions.
      if (at === undefined || at <= index || at - index - 1 > 255) throw new Error(`bad seccomp jump to ${target}`);
      return at - index - 1;
    };
    buffer.writeUInt16LE(item.code, index * 8);
    buffer.writeUInt8(offset(item.jt), index * 8 + 2);
    buffer.writeUInt8(offset(item.jf), index * 8 + 3);
    buffer.writeUInt32LE(item.k >>> 0, index * 8 + 4);
    index++;
  }
  return buffer;
}
