import { collectPropertyNames } from '../../nodes/HubSpotSyncProperties/actions/testProperties.operation';
import { closestPropertyNames, editDistance, type PropertyDefinition } from '../../nodes/shared/properties';

const defs = (names: Array<[string, string]>) => names.map(([name, label]) => ({ name, label, type: 'string', fieldType: 'text' }) as PropertyDefinition);
const known = defs([['email', 'Email'], ['firstname', 'First Name'], ['lastname', 'Last Name'], ['hs_lead_status', 'Lead Status'], ['phone', 'Phone Number']]);

it('measures edit distance', () => {
	expect(editDistance('emial', 'email')).toBe(2);
	expect(editDistance('', 'abc')).toBe(3);
	expect(editDistance('same', 'same')).toBe(0);
});

it('suggests names close to a typo, to the label, or containing the text', () => {
	expect(closestPropertyNames('emial', known)[0]).toBe('email');
	expect(closestPropertyNames('First Name', known)[0]).toBe('firstname');
	expect(closestPropertyNames('lead_status', known)).toContain('hs_lead_status');
	expect(closestPropertyNames('zzzzzzzzzz', known)).toEqual([]);
});

it('collects names from the list and from typed text, without blanks or repeats', () => {
	expect(collectPropertyNames(['email', 'phone'], 'email, firstname\n\n lastname ,')).toEqual(['email', 'phone', 'firstname', 'lastname']);
	expect(collectPropertyNames(undefined, '')).toEqual([]);
	expect(collectPropertyNames('email', undefined)).toEqual(['email']);
});

it('splits a comma-separated string that an expression puts in the list field, as it does the text field', () => {
	expect(collectPropertyNames('email, firstname\nlastname', undefined)).toEqual(['email', 'firstname', 'lastname']);
	expect(collectPropertyNames(['email,phone', 'city'], ['zip'])).toEqual(['email', 'phone', 'city', 'zip']);
});
