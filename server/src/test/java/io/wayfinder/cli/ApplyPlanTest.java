package io.wayfinder.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.wayfinder.profile.ProfileConfig;
import io.wayfinder.profile.read.ProfileTreeReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The order of apply's writes: the server validates the whole configuration after each one, so a
 * profile must never nest one that does not exist at any step. Profiles are written as
 * {@code NAME>CHILD} (NAME nests CHILD) or {@code NAME} (nests nothing); {@code NAME~} is NAME changed.
 */
class ApplyPlanTest {

    @ParameterizedTest(name = "{0} to {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            a b           | a b            | ''
            a             | a b            | create b
            a b           | a              | delete b
            a             | p>c c a        | create c, create p
            p>c c a       | a              | delete p, delete c
            p>c c         | p>c~ c~        | update c, update p
            p>x x         | p              | update p, delete x
            p>x x y       | p z            | delete y, update p, create z, delete x
            g>p p>c c     | c              | delete g, delete p
            a             | b              | delete a, create b
            """)
    void writesComeInAnOrderTheServerAccepts(String running, String wanted, String steps) throws Exception {
        List<ApplyPlan.Running> now = new ArrayList<>();
        for (String p : running.split(" ")) {
            now.add(new ApplyPlan.Running(profile(p), 1));
        }
        List<ProfileConfig> file = new ArrayList<>();
        for (String p : wanted.split(" ")) {
            file.add(profile(p));
        }

        ApplyPlan plan = ApplyPlan.between(now, file);

        assertThat(String.join(", ", plan.steps().stream().map(s -> s.action() + " " + s.name()).toList())).isEqualTo(steps);
    }

    /** {@code p>c}: profile p nesting c; {@code p~}: p with another TTL (also {@code p>c~}). */
    private static ProfileConfig profile(String spec) throws Exception {
        String name = spec.replaceAll("[>~].*", "");
        String child = spec.contains(">") ? spec.substring(spec.indexOf('>') + 1).replace("~", "") : null;
        String endpoint = child == null ? "{\"name\": \"e\", \"target\": \"192.0.2.1\"}"
                : "{\"name\": \"e\", \"type\": \"nested\", \"target\": \"" + child + "\"}";
        String json = "{\"name\": \"" + name + "\", \"zone\": \"app.test\", \"trafficRoutingMethod\": \"Priority\","
                + " \"dnsConfig\": {\"relativeName\": \"" + name + "\", \"ttl\": " + (spec.endsWith("~") ? 60 : 30) + "},"
                + " \"endpoints\": [" + endpoint + "]}";
        return ProfileDocuments.model(ProfileTreeReader.parseJson(json));
    }
}
