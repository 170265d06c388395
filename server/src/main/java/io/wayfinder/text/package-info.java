/**
 * Small text helpers shared by configuration and geolocation, such as "did you mean" suggestions
 * for misspelt names. It depends on no other Wayfinder package.
 */
package io.wayfinder.text;
