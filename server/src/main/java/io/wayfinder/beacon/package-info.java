/**
 * The real-user beacon, without HTTP: the application keys that name a site and the origins it
 * may post from, the script browsers run ({@code /rum.js}), the per-address rate limit, whom to
 * believe about a client's address, and the beacon's counters. It uses only net; the routes are
 * declared in api, the keys are kept by control in the store.
 *
 * <pre>
 *   page --GET /rum.js?key=K--> script (targets, fetches) --fetch x N--> each region's probe URL
 *        --POST /rum?key=K {samples}--> rate limit (per address) -> key, origin -> client address
 *        -> each sample checked as the measurements API checks it -> the learner, source rum:K
 * </pre>
 */
package io.wayfinder.beacon;
