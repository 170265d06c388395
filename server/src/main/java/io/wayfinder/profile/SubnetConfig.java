package io.wayfinder.profile;

import io.wayfinder.net.IpRange;

/**
 * One entry of an endpoint's {@code subnets}, as Azure writes them: a range {@code {first, last}},
 * a network {@code {first, scope}} (scope is the prefix length), or a single address {@code {first}}.
 *
 * @param scope the prefix length when the entry was written as a network, else null
 */
public record SubnetConfig(IpRange range, Integer scope) {
    @Override
    public String toString() {
        if (scope != null) {
            return range.first().addressText() + "/" + scope;
        }
        return range.first().equals(range.last()) ? range.first().addressText() : range.toString();
    }
}
