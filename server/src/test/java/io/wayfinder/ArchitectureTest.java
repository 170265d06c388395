package io.wayfinder;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaParameterizedType;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The package arrows of DESIGN.md ("Shape"), checked on the compiled main classes (tests are not
 * imported: a test may reach across packages to set up a world).
 *
 * <p>The layers as the code stands, top to bottom; an arrow points down or not at all:
 * <pre>
 *   cli
 *   runtime
 *   api
 *   control                 metrics
 *   store
 *   answer
 *   routing                 dns (server -&gt; wire)     traffic
 *   health     latency
 *   profile (read -&gt; model)
 *   geo
 *   source     text         time      beacon     agent
 *   net
 * </pre>
 * The rules below hold the arrows the design depends on, and the cycle rule keeps the rest one way.
 * Each says why in its {@code because}; a failure names the class and the member that breaks it.
 * If a rule fails, move the code, not the rule.
 */
@AnalyzeClasses(packages = "io.wayfinder", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String WAYFINDER = "io.wayfinder..";

    private static final String DNS = "io.wayfinder.dns..";
    private static final String WIRE = "io.wayfinder.dns.wire..";
    private static final String LISTENERS = "io.wayfinder.dns.server..";
    private static final String ANSWER = "io.wayfinder.answer..";
    private static final String ROUTING = "io.wayfinder.routing..";
    private static final String LATENCY = "io.wayfinder.latency..";
    private static final String GEO = "io.wayfinder.geo..";
    private static final String NET = "io.wayfinder.net..";
    private static final String HEALTH = "io.wayfinder.health..";
    /** The configuration model and its reader together. */
    private static final String PROFILE = "io.wayfinder.profile..";
    /** The configuration model alone, without the reader. */
    private static final String PROFILE_MODEL = "io.wayfinder.profile";
    private static final String PROFILE_READ = "io.wayfinder.profile.read..";
    private static final String CONTROL = "io.wayfinder.control..";
    private static final String RUNTIME = "io.wayfinder.runtime..";
    private static final String CLI = "io.wayfinder.cli..";
    private static final String METRICS = "io.wayfinder.metrics..";
    private static final String TIME = "io.wayfinder.time..";
    private static final String TEXT = "io.wayfinder.text..";
    private static final String SOURCE = "io.wayfinder.source..";
    private static final String STORE = "io.wayfinder.store..";
    private static final String API = "io.wayfinder.api..";
    private static final String PROFILE_WRITE = "io.wayfinder.profile.write..";
    private static final String IMPORTS = "io.wayfinder.imports..";
    private static final String TRAFFIC = "io.wayfinder.traffic..";
    private static final String BEACON = "io.wayfinder.beacon..";
    private static final String AGENT = "io.wayfinder.agent..";

    // --- dns: the codec and the listeners -------------------------------------------------------

    @ArchTest
    static final ArchRule wireCodecKnowsNothingOfWhatAnswers = noClasses()
            .that().resideInAPackage(WIRE)
            .should().dependOnClassesThat().resideInAnyPackage(ROUTING, ANSWER, PROFILE, CONTROL)
            .because("the codec turns bytes into a query and an answer into bytes; it is fuzzed on"
                    + " its own, and a routing or configuration change must never reach the parser"
                    + " of untrusted packets");

    @ArchTest
    static final ArchRule wireCodecKnowsNothingOfListeners = noClasses()
            .that().resideInAPackage(WIRE)
            .should().dependOnClassesThat().resideInAPackage(LISTENERS)
            .because("the listeners use the codec, not the other way round: the codec must stay"
                    + " usable without sockets, as the fuzz test drives it with bare buffers");

    @ArchTest
    static final ArchRule dnsUsesNoOtherWayfinderPackageButNetAndTime = classes()
            .that().resideInAPackage(DNS)
            .should().onlyDependOnClassesThat(resideOutsideOfPackage(WAYFINDER).or(resideInAnyPackage(DNS, NET, TIME)))
            .because("dns is the protocol edge (decode, listen, encode); what to answer comes in"
                    + " through its own Responder interface, so that the server can be"
                    + " tested with a stub and the answer with no socket (time, a leaf, for the"
                    + " throttle of its repeated log lines, which the API shares)");

    // --- the query path -------------------------------------------------------------------------

    @ArchTest
    static final ArchRule routingKnowsOnlyTheSnapshotItsGiven = noClasses()
            .that().resideInAPackage(ROUTING)
            .should().dependOnClassesThat().resideInAnyPackage(
                    CONTROL, RUNTIME, CLI, METRICS, ANSWER, DNS, PROFILE_READ)
            .because("routing decides from one immutable snapshot and a client address: it must not"
                    + " reach back to the publisher, the wiring, the command line, the counters,"
                    + " the zone that called it, the wire, or the configuration files");

    @ArchTest
    static final ArchRule routingReadsTheModelNotTheValidator = noClasses()
            .that().resideInAPackage(ROUTING)
            .should().dependOnClassesThat().haveFullyQualifiedName("io.wayfinder.profile.ConfigValidator")
            .because("a routing method owns its checks (MethodRules) and builds from a configuration"
                    + " already validated; the validator calls the methods, never the other way round");

    @ArchTest
    static final ArchRule queryPathDoesNotParseConfiguration = noClasses()
            .that().resideInAnyPackage(ANSWER, ROUTING, DNS)
            .should().dependOnClassesThat().resideInAPackage(PROFILE_READ)
            .because("configuration is read and checked on the control path before a snapshot is"
                    + " built; a query takes no lock and must never parse YAML or JSON");

    // --- health, profile ------------------------------------------------------------------------

    @ArchTest
    static final ArchRule healthKnowsNotWhoReadsIt = noClasses()
            .that().resideInAPackage(HEALTH)
            .should().dependOnClassesThat().resideInAnyPackage(ROUTING, CONTROL, ANSWER, RUNTIME)
            .because("health probes endpoints and hands each status change to a listener; the"
                    + " control path turns it into a new routing table, so health must not call"
                    + " routing or the publisher itself (that would be a second path for change)");

    @ArchTest
    static final ArchRule profileIsOnlyTheModel = noClasses()
            .that().resideInAPackage(PROFILE)
            .should().dependOnClassesThat().resideInAnyPackage(
                    ROUTING, HEALTH, LATENCY, CONTROL, ANSWER, RUNTIME, CLI, METRICS, STORE, API)
            .because("the configuration model and its validation are plain values that every other"
                    + " package builds from; each routing method's rules live in profile"
                    + " (MethodRules) so that checking a file needs no running machinery");

    @ArchTest
    static final ArchRule profileModelDoesNotKnowItsReader = noClasses()
            .that().resideInAPackage(PROFILE_MODEL)
            .should().dependOnClassesThat().resideInAPackage(PROFILE_READ)
            .because("the reader turns YAML/JSON trees into the model; the model must stay"
                    + " constructible in code (tests, API writes) without a file format behind it");

    @ArchTest
    static final ArchRule importsBuildOnTheModelOnly = wayfinderDependenciesOnly(IMPORTS, PROFILE_MODEL, GEO, NET, TEXT)
            .because("converting another product's export is text to text: it may check names against"
                    + " what the configuration model builds on (DNS names, regions, geographic codes,"
                    + " addresses) but must not need a reader, a server or a routing table to run");

    @ArchTest
    static final ArchRule profileModelDoesNotKnowItsWriter = noClasses()
            .that().resideInAPackage(PROFILE_MODEL)
            .should().dependOnClassesThat().resideInAPackage(PROFILE_WRITE)
            .because("the writer turns the model back into the JSON/YAML tree the reader reads (the"
                    + " store's and the API's form); the model stays a plain value");

    // --- store ----------------------------------------------------------------------------------

    @ArchTest
    static final ArchRule storeKnowsOnlyTheModel = wayfinderDependenciesOnly(STORE, PROFILE_MODEL)
            .because("the store keeps profiles as JSON text with versions and an audit log; what"
                    + " they mean (validation, routing) is decided above it, so a shared database"
                    + " can implement it with nothing but JDBC");

    @ArchTest
    static final ArchRule onlyControlAndTheEdgeUseTheStore = noClasses()
            .that().resideOutsideOfPackages(STORE, CONTROL, RUNTIME, CLI, API)
            .should().dependOnClassesThat().resideInAPackage(STORE)
            .because("profiles reach the query path only as a validated configuration published by"
                    + " control; nothing below it may read the store behind its back");

    // --- the edge: cli, runtime, api, control ---------------------------------------------------

    @ArchTest
    static final ArchRule onlyTheOuterEdgeUsesApi = noClasses()
            .that().resideOutsideOfPackages(API, RUNTIME, CLI)
            .should().dependOnClassesThat().resideInAPackage(API)
            .because("the HTTP API sits at the edge like the command line: it calls control (whose"
                    + " publisher applies its writes as events), and nothing below may call it back");

    @ArchTest
    static final ArchRule controlDoesNotKnowTheApi = noClasses()
            .that().resideInAPackage(CONTROL)
            .should().dependOnClassesThat().resideInAnyPackage(API, "io.javalin..", "org.eclipse.jetty..")
            .because("an API write is one more event for the control path; control must stay"
                    + " drivable without HTTP (the file watcher, tests) and never wait on a client");

    @ArchTest
    static final ArchRule onlyCliUsesCli = noClasses()
            .that().resideOutsideOfPackage(CLI)
            .should().dependOnClassesThat().resideInAPackage(CLI)
            .because("the command line is the outermost edge; nothing may depend on how the process"
                    + " was started or on picocli");

    @ArchTest
    static final ArchRule onlyCliUsesRuntime = noClasses()
            .that().resideOutsideOfPackages(CLI, RUNTIME)
            .should().dependOnClassesThat().resideInAPackage(RUNTIME)
            .because("runtime wires a running server with constructors; a package that reached back"
                    + " into the wiring would make a construction cycle");

    @ArchTest
    static final ArchRule onlyTheEdgeUsesControl = noClasses()
            .that().resideOutsideOfPackages(CONTROL, RUNTIME, CLI, API)
            .should().dependOnClassesThat().resideInAPackage(CONTROL)
            .because("control owns change (config loads, reloads, the snapshot publisher); the"
                    + " packages it builds snapshots from must not call it back, or events would"
                    + " stop being applied in one order on one thread");

    // --- low-level packages ---------------------------------------------------------------------

    @ArchTest
    static final ArchRule netIsALeaf = wayfinderDependenciesOnly(NET, TIME)
            .because("prefixes and longest-prefix match are the bottom of the stack, used by the"
                    + " codec, geolocation, latency and routing alike (time, a leaf, for the yield"
                    + " points of its long builds)");

    @ArchTest
    static final ArchRule textIsALeaf = wayfinderDependenciesOnly(TEXT)
            .because("text helpers (suggestions for misspelt names) are used by configuration and"
                    + " geolocation and must not pull either in");

    @ArchTest
    static final ArchRule timeIsALeaf = wayfinderDependenciesOnly(TIME)
            .because("the scheduler abstraction lets health and control run on a manual clock in"
                    + " tests; it must know nothing of what it schedules");

    @ArchTest
    static final ArchRule sourceReadsLinesOnly = wayfinderDependenciesOnly(SOURCE, NET, TEXT)
            .because("CSV line reading is shared by the geolocation and latency loaders; it may parse"
                    + " a prefix but must know nothing of what the rows mean");

    @ArchTest
    static final ArchRule geoSitsOnNetTextSourceTime = wayfinderDependenciesOnly(GEO, NET, TEXT, SOURCE, TIME)
            .because("regions and geolocation are data the configuration and latency packages build"
                    + " on; geo must not depend on them in turn (time, a leaf, for the throttled log of"
                    + " a damaged database's failed lookups)");

    @ArchTest
    static final ArchRule latencySitsOnGeoNetSource = wayfinderDependenciesOnly(LATENCY, GEO, NET, SOURCE, TIME)
            .because("the latency table is a hot structure built from measurements and distances;"
                    + " it must not know the configuration or the routing methods that read it (time,"
                    + " a leaf, for the yield points of its builds)");

    @ArchTest
    static final ArchRule trafficSitsOnNetGeoTime = wayfinderDependenciesOnly(TRAFFIC, NET, GEO, TIME)
            .because("Traffic View is written by the query path (answer calls it with names and a client"
                    + " network) and read by the API; it must not know routing, the snapshot or the control"
                    + " path, so that the query path's side of it stays a few array writes");

    @ArchTest
    static final ArchRule beaconKnowsNoHttpNorWhereKeysLive = wayfinderDependenciesOnly(BEACON, NET)
            .because("the beacon's keys, rate limit, proxy rule and script are checked without a server;"
                    + " its routes are declared in api with the others, and its keys are kept by control in"
                    + " the store, so that neither HTTP nor the store reaches into it");

    @ArchTest
    static final ArchRule agentTalksToTheServerOnlyOverHttp = wayfinderDependenciesOnly(AGENT, NET)
            .because("a region agent runs on a host where no server runs and reaches the server only through"
                    + " the public API (targets, measurements); were it to use the server's classes, the API"
                    + " would stop being its contract and an agent would need the server's version to run");

    @ArchTest
    static final ArchRule onlyCliStartsAnAgent = noClasses()
            .that().resideOutsideOfPackages(AGENT, CLI)
            .should().dependOnClassesThat().resideInAPackage(AGENT)
            .because("the agent is a process of its own, started by wayfinder agent; the server must not"
                    + " depend on it (it learns from the agent's samples through POST /api/v1/measurements"
                    + " like any other sender)");

    // --- whole-graph rules ----------------------------------------------------------------------

    @ArchTest
    static final ArchRule topLevelPackagesHaveNoCycles = slices()
            .matching("io.wayfinder.(*)..")
            .should().beFreeOfCycles()
            .because("arrows point one way (DESIGN.md, Shape): a cycle means two rooms that cannot be"
                    + " understood, tested or changed apart");

    @ArchTest
    static final ArchRule noHolderForTheRuntime = fields()
            .should(notBeAnAtomicReferenceToA(RUNTIME))
            .because("an AtomicReference filled after construction is how a construction cycle"
                    + " (a part that calls back the server that owns it) was hidden once; wire in"
                    + " order with constructors instead");

    @ArchTest
    static final ArchRule runtimeMakesNoLateHolders = noClasses()
            .that().resideInAPackage(RUNTIME)
            .should().callConstructor(AtomicReference.class)
            .orShould().callConstructor(AtomicReference.class, Object.class)
            .because("the old construction-cycle trick was a local AtomicReference<WayfinderServer>,"
                    + " which no field rule sees; runtime wires in order with constructors, and the"
                    + " published snapshot belongs to control");

    /** Classes of {@code pkg} may use Java and libraries, but of Wayfinder only {@code allowed} and themselves. */
    private static ArchRule wayfinderDependenciesOnly(String pkg, String... allowed) {
        String[] own = new String[allowed.length + 1];
        own[0] = pkg;
        System.arraycopy(allowed, 0, own, 1, allowed.length);
        return classes()
                .that().resideInAPackage(pkg)
                .should().onlyDependOnClassesThat(resideOutsideOfPackage(WAYFINDER).or(resideInAnyPackage(own)));
    }

    /** Fails a field typed {@code AtomicReference<X>} where X (or a type argument nested in it) lies in {@code pkg}. */
    private static ArchCondition<JavaField> notBeAnAtomicReferenceToA(String pkg) {
        return new ArchCondition<>("not be an AtomicReference to a class in " + pkg) {
            @Override
            public void check(JavaField field, ConditionEvents events) {
                if (!field.getRawType().isEquivalentTo(AtomicReference.class)) {
                    return;
                }
                List<JavaClass> held = new ArrayList<>();
                collectTypeArguments(field.getType(), held);
                for (JavaClass c : held) {
                    if (resideInAnyPackage(pkg).test(c)) {
                        events.add(SimpleConditionEvent.violated(field,
                                field.getFullName() + " holds " + c.getName() + " in an AtomicReference"));
                    }
                }
            }
        };
    }

    private static void collectTypeArguments(JavaType type, List<JavaClass> into) {
        if (type instanceof JavaParameterizedType parameterized) {
            for (JavaType argument : parameterized.getActualTypeArguments()) {
                into.add(argument.toErasure());
                collectTypeArguments(argument, into);
            }
        }
    }
}
