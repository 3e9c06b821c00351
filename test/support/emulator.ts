import { DEFAULT_SERVICE_KEY, HubSpotEmulator, type EmulatorOptions } from '../hubspot-emulator';

export interface RunningEmulator {
	emulator: HubSpotEmulator;
	url: string;
	/** Calls the emulator as a HubSpot client would, with the default service key. */
	call: (method: string, path: string, body?: unknown, token?: string) => Promise<{ status: number; body: any; headers: Headers }>;
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
	return { emulator, url, call, stop: () => emulator.stop() };
}
