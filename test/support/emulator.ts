import { DEFAULT_SERVICE_KEY, HubSpotEmulator, type EmulatorOptions } from '../hubspot-emulator';
import type { Violation } from '../hubspot-emulator/contract';

export interface RunningEmulator {
	emulator: HubSpotEmulator;
	url: string;
	/** Calls the emulator as a HubSpot client would, with the default service key. */
	call: (method: string, path: string, body?: unknown, token?: string) => Promise<{ status: number; body: any; headers: Headers }>;
	/** The contract violations recorded so far, cleared: for a test that breaks the spec on purpose. */
	takeViolations: () => Violation[];
	/**
	 * Stops the emulator, then fails (throws) when any request or response broke HubSpot's spec
	 * and was not taken: a request outside the spec is answered 400 like HubSpot does, which a
	 * product could handle quietly, so the teardown is where such a violation still fails the test.
	 */
	stop: () => Promise<void>;
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
	const emulator = new HubSpotEmulator(options);
	const url = await emulator.start();
	const call: RunningEmulator['call'] = async (method, path, body, token = DEFAULT_SERVICE_KEY) => {
		const response = await fetch(`${url}${path}`, {
			method,
			headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
	};
	const takeViolations = () => emulator.contract.violations.splice(0);
	const stop = async () => {
		await emulator.stop();
		assertNoViolations(takeViolations());
	};
	return { emulator, url, call, takeViolations, stop };
}

export function assertNoViolations(violations: Violation[]): void {
	if (!violations.length) return;
	const lines = violations.slice(0, 10).map((v) => `${v.direction} ${v.operation}${v.status ? ` (${v.status})` : ''}: ${v.errors.join('; ')}`);
	throw new Error(`${violations.length} exchange(s) with the emulator broke HubSpot's spec:\n${lines.join('\n')}`);
}
