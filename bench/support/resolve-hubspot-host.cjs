/**
 * Preloaded into the benchmark's n8n only (NODE_OPTIONS=--require …): resolves HubSpot's API host
 * to 127.0.0.1, where the emulator serves HTTPS with a throwaway certificate (trusted through
 * NODE_EXTRA_CA_CERTS). n8n's built-in HubSpot node has api.hubapi.com fixed in its code; this
 * sends it to the emulator without touching /etc/hosts or any other process.
 */
const dns = require('node:dns');

const host = process.env.HUBSPOT_BENCH_HOST || 'api.hubapi.com';
const lookup = dns.lookup;

dns.lookup = function lookupWithBenchHost(hostname, options, callback) {
	if (hostname !== host) return lookup.apply(this, arguments);
	const done = typeof options === 'function' ? options : callback;
	const all = typeof options === 'object' && options !== null && options.all;
	process.nextTick(() => (all ? done(null, [{ address: '127.0.0.1', family: 4 }]) : done(null, '127.0.0.1', 4)));
	return {};
};

const promisesLookup = dns.promises.lookup;
dns.promises.lookup = async function lookupWithBenchHost(hostname, options) {
	if (hostname !== host) return promisesLookup.call(this, hostname, options);
	return typeof options === 'object' && options !== null && options.all ? [{ address: '127.0.0.1', family: 4 }] : { address: '127.0.0.1', family: 4 };
};
