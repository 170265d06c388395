package io.wayfinder.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "enable", mixinStandardHelpOptions = true,
        description = {"Enable an endpoint (endpointStatus: Enabled): probed and served again.",
            EndpointEdit.CONFLICT_HELP})
final class EndpointEnableCommand extends EndpointEdit {
    @Override
    ObjectNode patch() {
        return JsonNodeFactory.instance.objectNode().put("endpointStatus", "Enabled");
    }
}
