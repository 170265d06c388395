package io.wayfinder.quality;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A floor for the never-measured networks of dark /20s on a generated internet of 30,000
 * networks (seed 1), the learner fed in process: 95.0% of them go to their fastest region with
 * their /16's and their place's parts of the regional differences fitted apart (PlaceEffects),
 * 91.6% with the /16's effects plus the place's mean difference from other /16s.
 */
class DarkDiagnosisTest {
    @Test
    void darkBlocksTakeTheirPlacesDifferences() throws Exception {
        DarkDiagnosis.Report report = DarkDiagnosis.run(30_000, 1);
        assertThat(report.darkShare()).isGreaterThan(0.935);
    }
}
