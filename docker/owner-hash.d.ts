/** Types of docker/owner-hash.js (plain CommonJS, run by docker/link-package.sh before n8n starts) for the tests. */
export interface Bcrypt {
	hashSync(password: string, rounds: number): string;
	compareSync(password: string, hash: string): boolean;
}

export function passwordProblem(password: string): string | undefined;

export function n8nPackageDir(env?: NodeJS.ProcessEnv): string;

export function n8nBcrypt(env?: NodeJS.ProcessEnv): Bcrypt;

export function ownerPasswordHash(password: string, hashFile?: string, bcrypt?: Bcrypt): string;
