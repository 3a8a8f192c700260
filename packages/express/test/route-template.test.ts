import assert from 'node:assert/strict';
import { chooseTemplate, joinTemplates, layerClassOf, renderPath, templateOfBaseUrl } from '../src/route-template';
import { loadExpress, MAJORS } from './helpers';

describe('@jt/express route templates', () => {
  it('joins nested templates with one slash between, ignoring "/" and empty mounts', () => {
    assert.equal(joinTemplates([]), '/');
    assert.equal(joinTemplates(['/', '']), '/');
    assert.equal(joinTemplates(['/api', '/users/:id']), '/api/users/:id');
    assert.equal(joinTemplates(['/api/', '/users']), '/api/users');
    assert.equal(joinTemplates(['/api', '/']), '/api');
    assert.equal(joinTemplates(['', '/api', '', 'v1', '*']), '/api/v1/*');
  });

  it('renders strings as written, RegExps by source, arrays joined', () => {
    assert.equal(renderPath('/users/:id'), '/users/:id');
    assert.equal(renderPath(/^\/a\/(\d+)$/), '/^\\/a\\/(\\d+)$/');
    assert.equal(renderPath(['/a', ['/b', /c/]]), '/a,/b,/c/');
    assert.equal(renderPath(undefined), '');
  });

  it('writes mount params back into a requested baseUrl, whole segments only, each once', () => {
    assert.equal(templateOfBaseUrl('/orgs/acme/teams/red', { org: 'acme', team: 'red' }), '/orgs/:org/teams/:team');
    // a value seen twice is one param: the first segment only
    assert.equal(templateOfBaseUrl('/x/7/y/7', { id: '7' }), '/x/:id/y/7');
    // decoded comparison (params are decoded by Express)
    assert.equal(templateOfBaseUrl('/u/a%20b', { name: 'a b' }), '/u/:name');
    // route params and unnamed RegExp groups are not mount params
    assert.equal(templateOfBaseUrl('/a/5', { id: '5' }, new Set(['id'])), '/a/5');
    assert.equal(templateOfBaseUrl('/a/5', { 0: '5' }), '/a/5');
    assert.equal(templateOfBaseUrl('/a/5', undefined), '/a/5');
  });

  for (const major of MAJORS) {
    it(`picks the alternative of an array path that matched, with ${major.label}'s own Layer`, () => {
      const express = loadExpress(major);
      const router = express.Router();
      router.get('/seed', () => undefined);
      const Layer = layerClassOf(router.stack[0]);
      assert.ok(Layer, 'Layer class found');
      const paths = ['/people/:pid', '/persons/:pid', '/p'];
      const owner = {};
      assert.equal(chooseTemplate(owner, paths, '/persons/3', true, Layer), '/persons/:pid');
      assert.equal(chooseTemplate(owner, paths, '/people/3', true, Layer), '/people/:pid');
      assert.equal(chooseTemplate(owner, paths, '/p', true, Layer), '/p');
      // nothing matches: all alternatives, never the raw path
      assert.equal(chooseTemplate(owner, paths, '/elsewhere', true, Layer), '/people/:pid,/persons/:pid,/p');
      // a mount (end: false) matches a prefix
      assert.equal(chooseTemplate({}, ['/a/:x', '/b/:y'], '/b/2', false, Layer), '/b/:y');
    });
  }
});
