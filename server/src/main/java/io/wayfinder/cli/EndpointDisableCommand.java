package io.wayfinder.cli;

import picocli.CommandLine.Command;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "disable", mixinStandardHelpOptions = true,
        description = {"Disable an endpoint (endpointStatus: Disabled).",
            "It is neither probed nor served: answers move to the others at once.",
            EndpointEdit.CONFLICT_HELP})
final class EndpointDisableCommand extends EndpointEdit {
    @Override
    ObjectNode patch() {
        return JsonNodeFactory.instance.objectNode().put("endpointStatus", "Disabled");
    }
}
