import { strict as assert } from 'node:assert';
import { folderLabel } from '../../../webview/folderLabel';

describe('webview/folderLabel', () => {
  const scope = { roots: ['/work/app', '/work/api/'], home: '/home/me' };

  it('names a workspace folder by its name, and a folder inside it from there', () => {
    assert.equal(folderLabel('/work/app', scope), 'app');
    assert.equal(folderLabel('/work/app/packages/ui', scope), 'app/packages/ui');
    assert.equal(folderLabel('/work/api', scope), 'api', 'a root given with a trailing slash');
    assert.equal(folderLabel('/work/api/src', scope), 'api/src');
  });

  it('names any other folder by its own name, and the home folder ~', () => {
    assert.equal(folderLabel('/home/me/src/notes', scope), 'notes');
    assert.equal(folderLabel('/home/me', scope), '~');
    assert.equal(folderLabel('/home/me/', scope), '~');
    assert.equal(folderLabel('/srv/site/', scope), 'site');
    assert.equal(folderLabel('/home/me', { roots: [], home: null }), 'me');
  });

  it('matches whole folder names only', () => {
    assert.equal(folderLabel('/work/application', scope), 'application');
    assert.equal(folderLabel('/work/app-old/lib', scope), 'lib');
    assert.equal(folderLabel('/home/meg', scope), 'meg');
  });

  it('keeps Windows separators, and never shortens against a drive or the file system root', () => {
    const windows = { roots: ['C:\\src\\app'], home: 'C:\\Users\\me' };
    assert.equal(folderLabel('C:\\src\\app\\lib', windows), 'app\\lib');
    assert.equal(folderLabel('C:\\Users\\me', windows), '~');
    assert.equal(folderLabel('C:\\Users\\me\\notes', windows), 'notes');
    assert.equal(folderLabel('D:\\other', { roots: ['D:\\'], home: null }), 'other');
    assert.equal(folderLabel('/etc/x', { roots: ['/'], home: null }), 'x');
  });

  it('shows a root folder as it is: it has no name', () => {
    assert.equal(folderLabel('/', scope), '/');
    assert.equal(folderLabel('C:\\', scope), 'C:\\');
    assert.equal(folderLabel('C:', scope), 'C:');
  });
});
