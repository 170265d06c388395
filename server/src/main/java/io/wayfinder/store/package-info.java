/**
 * Where profiles and the audit log live when the API is on: the {@link io.wayfinder.store.ProfileStore}
 * interface and its embedded SQLite implementation. It stores profiles as their JSON text and knows
 * nothing of what they mean; only the control path (which validates) and the runtime use it.
 */
package io.wayfinder.store;
