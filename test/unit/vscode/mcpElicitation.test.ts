// An MCP server's own questions as native input, against the fake vscode module: the form schema read into
// fields, each field asked in order (input boxes with validation, quick picks for enums and booleans,
// defaults prefilled), Escape at any step cancelling the question, URL questions opened only for web
// addresses, and the routing that sends tool approvals to the approval center instead.
import { strict as assert } from 'node:assert';
import { silentLogger } from '../../../src/core/log';
import { formFields, validateField, type FormField } from '../../../src/vscode/mcpElicitationForm';
import type { McpElicitationParams } from '../../../src/vscode/mcpApproval';
import { ServerRequestRouter } from '../../../src/vscode/serverEvents';
import { withFakeVscode, type FakeVscode } from '../../support/fakeVscodeModules';

type Elicitation = typeof import('../../../src/vscode/mcpElicitation');

const settled = () => new Promise((resolve) => setImmediate(resolve));

const SIGN_UP = {
  type: 'object',
  properties: {
    email: { type: 'string', title: 'Email', format: 'email' },
    age: { type: 'integer', title: 'Age', minimum: 18, maximum: 130, default: 30 },
    newsletter: { type: 'boolean', title: 'Newsletter', default: false },
    plan: { type: 'string', title: 'Plan', enum: ['free', 'pro'], enumNames: ['Free', 'Pro'], default: 'pro' },
    size: { type: 'string', oneOf: [{ const: 's', title: 'Small' }, { const: 'l', title: 'Large' }] },
    nickname: { type: 'string', description: 'What we call you', maxLength: 8 },
  },
  required: ['email', 'age', 'newsletter', 'plan', 'size'],
};

function form(requestedSchema: Record<string, unknown>, message = 'Sign up?'): McpElicitationParams {
  return { threadId: 'thr', turnId: 'turn', serverName: 'shop', mode: 'form', message, requestedSchema, _meta: null };
}

describe('vscode/mcpElicitationForm: the schema as fields', () => {
  it('reads each kind of field, with titles, defaults, ranges, formats and requiredness', () => {
    const read = formFields(SIGN_UP);
    assert.ok('fields' in read);
    assert.deepEqual(read.fields, [
      { name: 'email', label: 'Email', required: true, kind: 'string', format: 'email' },
      { name: 'age', label: 'Age', required: true, kind: 'number', integer: true, minimum: 18, maximum: 130, default: 30 },
      { name: 'newsletter', label: 'Newsletter', required: true, kind: 'boolean', default: false },
      { name: 'plan', label: 'Plan', required: true, kind: 'enum', options: [{ value: 'free', title: 'Free' }, { value: 'pro', title: 'Pro' }], default: 'pro' },
      { name: 'size', label: 'size', required: true, kind: 'enum', options: [{ value: 's', title: 'Small' }, { value: 'l', title: 'Large' }] },
      { name: 'nickname', label: 'nickname', description: 'What we call you', required: false, kind: 'string', maxLength: 8 },
    ]);
  });

  it('refuses what it cannot ask, saying which field', () => {
    assert.deepEqual(formFields({ type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } } } }), { error: 'its field “tags” is of a kind Tandem cannot ask for' });
    assert.deepEqual(formFields('nonsense'), { error: 'its form is not an object schema' });
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, { type: 'string' }]));
    assert.deepEqual(formFields({ type: 'object', properties: many }), { error: 'its form has 51 fields; Tandem asks for at most 50' });
  });

  it('checks typed text against the field: required, lengths, formats, numbers and ranges', () => {
    const string = (extra: Partial<FormField> = {}) => ({ name: 's', label: 's', required: true, kind: 'string', ...extra }) as FormField;
    const number = (extra: Partial<FormField> = {}) => ({ name: 'n', label: 'n', required: true, kind: 'number', integer: false, ...extra }) as FormField;
    assert.equal(validateField(string(), ''), 'An answer is required.');
    assert.equal(validateField(string({ required: false }), ''), undefined);
    assert.equal(validateField(string({ minLength: 3 } as Partial<FormField>), 'ab'), 'Enter at least 3 characters.');
    assert.equal(validateField(string({ maxLength: 3 } as Partial<FormField>), 'abcd'), 'Enter at most 3 characters.');
    assert.equal(validateField(string({ format: 'email' } as Partial<FormField>), 'me-at-home'), 'Enter an email address, such as name@example.com.');
    assert.equal(validateField(string({ format: 'email' } as Partial<FormField>), 'me@example.com'), undefined);
    assert.equal(validateField(string({ format: 'uri' } as Partial<FormField>), 'example'), 'Enter a URL, such as https://example.com.');
    assert.equal(validateField(string({ format: 'date' } as Partial<FormField>), '2024-02-30'), 'Enter a date as YYYY-MM-DD.');
    assert.equal(validateField(string({ format: 'date' } as Partial<FormField>), '2024-02-29'), undefined);
    assert.equal(validateField(string({ format: 'date-time' } as Partial<FormField>), '2024-02-29 10:00'), 'Enter a date and time as YYYY-MM-DDTHH:MM:SSZ.');
    assert.equal(validateField(string({ format: 'date-time' } as Partial<FormField>), '2024-02-29T10:00:00+01:00'), undefined);
    assert.equal(validateField(number(), 'ten'), 'Enter a number.');
    assert.equal(validateField(number(), '0x10'), 'Enter a number.', 'only decimal notation');
    assert.equal(validateField(number({ integer: true } as Partial<FormField>), '1.5'), 'Enter a whole number.');
    assert.equal(validateField(number({ minimum: 2 } as Partial<FormField>), '1'), 'Enter 2 or more.');
    assert.equal(validateField(number({ maximum: 2 } as Partial<FormField>), '2.5'), 'Enter 2 or less.');
    assert.equal(validateField(number(), ' -1.5e2 '), undefined);
  });
});

describe('vscode/mcpElicitation: questions as native input (fake vscode module)', () => {
  let fake: FakeVscode;
  let elicitation: Elicitation;
  const modules = withFakeVscode();
  before(() => {
    fake = modules.fake();
    elicitation = modules.load<Elicitation>('src/vscode/mcpElicitation');
  });
  beforeEach(() => {
    for (const list of [fake.warnings, fake.quickPicks, fake.pickAnswers, fake.inputBoxes, fake.inputAnswers, fake.inputErrors, fake.opened, fake.recorded.messages]) list.length = 0;
  });

  /** The user is idle unless `hold` keeps the question waiting. */
  function setup(hold = false) {
    const toolApprovals: number[] = [];
    const center = {
      whenIdle: (callback: () => void) => void (hold ? undefined : callback()),
      answerMcpTool: async (id: number) => (toolApprovals.push(id), { action: 'accept' as const, content: null, _meta: null }),
    };
    return { questions: new elicitation.McpElicitations(center as never, silentLogger), toolApprovals };
  }

  it('asks each field in order, checks what is typed, prefills defaults, and answers accept with the typed content', async () => {
    const { questions } = setup();
    fake.inputAnswers.push('not-an-email', 'me@example.com', '12', '42', 'Bob');
    fake.pickAnswers.push('Yes', 'Pro', 'Large');
    const answer = await questions.answer(1, form(SIGN_UP));
    assert.deepEqual(answer, { action: 'accept', content: { email: 'me@example.com', age: 42, newsletter: true, plan: 'pro', size: 'l', nickname: 'Bob' }, _meta: null });
    assert.deepEqual(fake.inputErrors, ['Enter an email address, such as name@example.com.', 'Enter 18 or more.'], 'refused text was not taken');
    const [email, age, nickname] = fake.inputBoxes;
    assert.equal(email!.title, 'shop: Sign up? (1 of 6)');
    assert.equal(email!.prompt, 'Email');
    assert.equal(email!.placeHolder, 'name@example.com');
    assert.equal(age!.value, '30', 'the default is prefilled');
    assert.equal(age!.placeHolder, '18 to 130');
    assert.equal(nickname!.prompt, 'nickname: What we call you (optional)');
    const [newsletter, plan, size] = fake.quickPicks;
    assert.deepEqual(newsletter!.items.map((i) => [i.label, (i as { description?: string }).description]), [['No', 'default'], ['Yes', undefined]], 'the default comes first');
    assert.deepEqual(plan!.items.map((i) => [i.label, (i as { description?: string }).description]), [['Pro', 'pro · default'], ['Free', 'free']]);
    assert.deepEqual(size!.items.map((i) => i.label), ['Small', 'Large']);
    assert.equal(size!.options?.title, 'shop: Sign up? (5 of 6)');
  });

  it('leaves an optional field out when it is left empty or answered "No answer"', async () => {
    const { questions } = setup();
    fake.inputAnswers.push('');
    fake.pickAnswers.push('No answer');
    const answer = await questions.answer(2, form({ type: 'object', properties: { note: { type: 'string' }, color: { type: 'string', enum: ['red', 'blue'] } } }, 'Anything else?'));
    assert.deepEqual(answer, { action: 'accept', content: {}, _meta: null });
    assert.equal(fake.inputBoxes[0]!.title, 'shop: Anything else? (1 of 2)');
  });

  it('cancels the whole question when the user escapes at any step, and asks nothing more', async () => {
    const { questions } = setup();
    fake.inputAnswers.push('me@example.com', undefined);
    assert.deepEqual(await questions.answer(3, form(SIGN_UP)), { action: 'cancel', content: null, _meta: null });
    assert.equal(fake.inputBoxes.length, 2);
    assert.equal(fake.quickPicks.length, 0);

    fake.inputAnswers.push('me@example.com', '40');
    assert.deepEqual(await questions.answer(4, form(SIGN_UP)), { action: 'cancel', content: null, _meta: null }, 'escaping a quick pick cancels too');
    assert.equal(fake.quickPicks.length, 1);
  });

  it('says why it cannot ask a form it cannot read, and cancels', async () => {
    const { questions } = setup();
    const answer = await questions.answer(5, form({ type: 'object', properties: { when: { type: 'object' } } }));
    assert.deepEqual(answer, { action: 'cancel', content: null, _meta: null });
    assert.deepEqual(fake.warnings.map((w) => w.message), ['Tandem cannot show the question of the shop MCP server: its field “when” is of a kind Tandem cannot ask for.']);
    assert.equal(fake.inputBoxes.length, 0);
  });

  it('asks a form without fields as a confirmation', async () => {
    const { questions } = setup();
    fake.infoAnswers.push('Accept');
    assert.deepEqual(await questions.answer(6, form({ type: 'object', properties: {} }, 'Proceed with the order?')), { action: 'accept', content: {}, _meta: null });
    assert.ok(fake.recorded.messages.includes('The shop MCP server asks: Proceed with the order?'));
  });

  const url = (address: string): McpElicitationParams => ({ threadId: 'thr', turnId: 'turn', serverName: 'github', mode: 'url', message: 'Authorize the app', url: address, elicitationId: 'e1', _meta: null });

  for (const [button, action, opens] of [
    ['Open', 'accept', true],
    ['Decline', 'decline', false],
    [undefined, 'cancel', false],
  ] as const) {
    it(`URL mode: ${button ?? 'closing the dialog'} answers ${action}`, async () => {
      const { questions } = setup();
      const answering = questions.answer(7, url('https://github.com/login/device?code=1'));
      await settled();
      const modal = fake.warnings.find((w) => w.modal)!;
      assert.equal(modal.message, 'The github MCP server asks you to open https://github.com/login/device?code=1');
      assert.equal(modal.detail, 'Authorize the app');
      assert.deepEqual(modal.items, ['Open', 'Decline']);
      modal.answer(button);
      assert.deepEqual(await answering, { action, content: null, _meta: null });
      assert.deepEqual(fake.opened, opens ? ['https://github.com/login/device?code=1'] : []);
    });
  }

  it('URL mode: refuses to open anything but a web address', async () => {
    const { questions } = setup();
    for (const address of ['command:workbench.action.terminal.new', 'file:///etc/passwd', 'not a url']) {
      assert.deepEqual(await questions.answer(8, url(address)), { action: 'decline', content: null, _meta: null });
    }
    assert.equal(fake.warnings.filter((w) => w.modal).length, 0);
    assert.equal(fake.warnings.length, 3);
    assert.match(fake.warnings[0]!.message, /asked you to open command:workbench\.action\.terminal\.new, which is not a web address/);
    assert.deepEqual(fake.opened, []);
  });

  it('routes tool approvals to the approval center and the server questions here', async () => {
    const { questions, toolApprovals } = setup();
    const router = new ServerRequestRouter();
    questions.register(router);
    const approval = { ...form({ type: 'object', properties: {} }), _meta: { codex_approval_kind: 'mcp_tool_call', tool_name: 'write_note' } };
    assert.deepEqual(await router.answer(9, 'mcpServer/elicitation/request', approval), { action: 'accept', content: null, _meta: null });
    assert.deepEqual(toolApprovals, [9]);
    fake.inputAnswers.push('Ada');
    const question = form({ type: 'object', properties: { name: { type: 'string' } }, required: ['name'] }, 'Your name?');
    assert.deepEqual(await router.answer(10, 'mcpServer/elicitation/request', question), { action: 'accept', content: { name: 'Ada' }, _meta: null });
    assert.deepEqual(toolApprovals, [9]);
    await assert.rejects(router.answer(11, 'mcpServer/elicitation/request', { threadId: 'thr', mode: 'form' }), /params Tandem cannot read/);
  });

  it('waits while the user types, and cancels a question the server stopped waiting for', async () => {
    const { questions } = setup(true);
    const first = questions.answer(12, form({ type: 'object', properties: { name: { type: 'string' } } }));
    const second = questions.answer(13, url('https://example.com/'));
    await settled();
    assert.equal(fake.inputBoxes.length, 0, 'nothing takes the keyboard while the user types');
    questions.observe({ method: 'serverRequest/resolved', params: { threadId: 'thr', requestId: 12 } });
    assert.deepEqual(await first, { action: 'cancel', content: null, _meta: null });
    questions.observe({ method: 'turn/completed', params: { threadId: 'thr', turn: { id: 'turn', items: [], itemsView: 'notLoaded', status: 'interrupted', error: null, startedAt: null, completedAt: null, durationMs: null } } });
    assert.deepEqual(await second, { action: 'cancel', content: null, _meta: null });
    assert.equal(fake.warnings.length, 0);
  });
});
