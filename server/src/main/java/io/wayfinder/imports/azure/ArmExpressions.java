package io.wayfinder.imports.azure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The part of ARM template expressions ({@code "[concat(parameters('name'), '/eu')]"}) that an
 * exported template uses to name things, evaluated where it is literal enough: string and integer
 * literals, {@code parameters()} (their {@code defaultValue}), {@code variables()}, {@code concat},
 * {@code format}, {@code toLower}, {@code toUpper} and {@code resourceId}. Anything else (a
 * deployment's {@code resourceGroup()}, {@code uniqueString}, ...) depends on where the template is
 * deployed, so the value is reported as unresolved rather than guessed.
 *
 * <p>{@code resourceId(type, name...)} gives {@code /providers/TYPE/NAME...} without subscription
 * and resource group: enough to tell which profile a nested endpoint points at, which is all the
 * import asks of it.
 */
final class ArmExpressions {
    /** Parameters and variables may refer to each other; a template that loops is not worth following further. */
    private static final int MAX_DEPTH = 16;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode parameters;
    private final JsonNode variables;

    /** @param template the template whose {@code parameters} and {@code variables} the expressions may use */
    ArmExpressions(JsonNode template) {
        this.parameters = template.path("parameters");
        this.variables = template.path("variables");
    }

    /** An expression or a literal the import cannot evaluate; the message says why. */
    static final class Unresolvable extends Exception {
        Unresolvable(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether a JSON string is an expression (ARM writes a literal leading bracket as "[["). */
    static boolean isExpression(String s) {
        return s.length() >= 2 && s.startsWith("[") && !s.startsWith("[[") && s.endsWith("]");
    }

    /** A string value as deployed: an expression evaluated, "[[" unescaped, anything else as it is. */
    JsonNode resolve(String value) throws Unresolvable {
        return resolve(value, 0);
    }

    private JsonNode resolve(String value, int depth) throws Unresolvable {
        if (value.startsWith("[[")) {
            return NODES.stringNode(value.substring(1));
        }
        if (!isExpression(value)) {
            return NODES.stringNode(value);
        }
        if (depth > MAX_DEPTH) {
            throw new Unresolvable("parameters and variables refer to each other more than " + MAX_DEPTH + " levels deep");
        }
        Parser parser = new Parser(value.substring(1, value.length() - 1), depth);
        JsonNode result = parser.expression();
        parser.end();
        return result;
    }

    /** A recursive-descent reader of one expression: {@code name(arg, ...)}, {@code 'text'}, integers. */
    private final class Parser {
        private final String text;
        private final int depth;
        private int at;

        Parser(String text, int depth) {
            this.text = text;
            this.depth = depth;
        }

        void end() throws Unresolvable {
            skipSpaces();
            if (at != text.length()) {
                throw new Unresolvable("cannot read the expression [" + text + "] from '" + text.substring(at) + "' on");
            }
        }

        JsonNode expression() throws Unresolvable {
            skipSpaces();
            if (at >= text.length()) {
                throw new Unresolvable("the expression [" + text + "] ends too early");
            }
            char c = text.charAt(at);
            if (c == '\'') {
                return NODES.stringNode(string());
            }
            if (c == '-' || Character.isDigit(c)) {
                int start = at++;
                while (at < text.length() && Character.isDigit(text.charAt(at))) {
                    at++;
                }
                try {
                    return NODES.numberNode(Long.parseLong(text.substring(start, at)));
                } catch (NumberFormatException e) {
                    throw new Unresolvable("'" + text.substring(start, at) + "' is not a number");
                }
            }
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                at++;
            }
            String function = text.substring(start, at);
            if (function.isEmpty()) {
                throw new Unresolvable("cannot read the expression [" + text + "] at '" + text.substring(start) + "'");
            }
            List<JsonNode> args = arguments();
            JsonNode value = call(function, args);
            // Property access and indexing (.name, [0]) read deployed state: not literal.
            skipSpaces();
            if (at < text.length() && (text.charAt(at) == '.' || text.charAt(at) == '[')) {
                throw new Unresolvable("the expression [" + text + "] reads a property of " + function + "()");
            }
            return value;
        }

        private List<JsonNode> arguments() throws Unresolvable {
            skipSpaces();
            if (at >= text.length() || text.charAt(at) != '(') {
                throw new Unresolvable("expected '(' after a function name in [" + text + "]");
            }
            at++;
            List<JsonNode> args = new ArrayList<>();
            skipSpaces();
            if (at < text.length() && text.charAt(at) == ')') {
                at++;
                return args;
            }
            while (true) {
                args.add(expression());
                skipSpaces();
                if (at >= text.length()) {
                    throw new Unresolvable("the expression [" + text + "] ends inside a function's arguments");
                }
                char c = text.charAt(at++);
                if (c == ')') {
                    return args;
                }
                if (c != ',') {
                    throw new Unresolvable("expected ',' or ')' in [" + text + "], not '" + c + "'");
                }
            }
        }

        /** A quoted string; {@code ''} inside it is one quote. */
        private String string() throws Unresolvable {
            StringBuilder out = new StringBuilder();
            at++;
            while (at < text.length()) {
                char c = text.charAt(at++);
                if (c == '\'') {
                    if (at < text.length() && text.charAt(at) == '\'') {
                        out.append('\'');
                        at++;
                    } else {
                        return out.toString();
                    }
                } else {
                    out.append(c);
                }
            }
            throw new Unresolvable("a quoted string in [" + text + "] is not closed");
        }

        private void skipSpaces() {
            while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
                at++;
            }
        }

        private JsonNode call(String function, List<JsonNode> args) throws Unresolvable {
            switch (function.toLowerCase(Locale.ROOT)) {
                case "parameters" -> {
                    JsonNode parameter = parameters.get(name(function, args));
                    if (parameter == null) {
                        throw new Unresolvable("the template has no parameter '" + name(function, args) + "'");
                    }
                    JsonNode value = parameter.get("defaultValue");
                    if (value == null || value.isNull()) {
                        throw new Unresolvable("parameter '" + name(function, args) + "' has no defaultValue");
                    }
                    return value.isString() ? resolve(value.asString(), depth + 1) : value;
                }
                case "variables" -> {
                    JsonNode value = variables.get(name(function, args));
                    if (value == null || value.isNull()) {
                        throw new Unresolvable("the template has no variable '" + name(function, args) + "'");
                    }
                    return value.isString() ? resolve(value.asString(), depth + 1) : value;
                }
                case "concat" -> {
                    StringBuilder out = new StringBuilder();
                    for (JsonNode arg : args) {
                        out.append(scalar(function, arg));
                    }
                    return NODES.stringNode(out.toString());
                }
                case "format" -> {
                    if (args.isEmpty()) {
                        throw new Unresolvable("format() needs a format string");
                    }
                    String format = scalar(function, args.get(0));
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < format.length(); i++) {
                        char c = format.charAt(i);
                        int close = format.indexOf('}', i);
                        if (c == '{' && close > i + 1 && format.substring(i + 1, close).chars().allMatch(Character::isDigit)) {
                            int index = Integer.parseInt(format.substring(i + 1, close)) + 1;
                            if (index >= args.size()) {
                                throw new Unresolvable("format() has no argument {" + (index - 1) + "}");
                            }
                            out.append(scalar(function, args.get(index)));
                            i = close;
                        } else {
                            out.append(c);
                        }
                    }
                    return NODES.stringNode(out.toString());
                }
                case "tolower" -> {
                    return NODES.stringNode(scalar(function, one(function, args)).toLowerCase(Locale.ROOT));
                }
                case "toupper" -> {
                    return NODES.stringNode(scalar(function, one(function, args)).toUpperCase(Locale.ROOT));
                }
                case "resourceid" -> {
                    return NODES.stringNode(resourceId(args));
                }
                default -> throw new Unresolvable(function + "() depends on the deployment; the import evaluates only"
                        + " parameters, variables, concat, format, toLower, toUpper and resourceId");
            }
        }

        /**
         * {@code resourceId([subscriptionId,] [resourceGroupName,] type, name, ...)}: the type is the
         * first argument with a '/' in it; the names follow, one per segment of the type after the first.
         */
        private String resourceId(List<JsonNode> args) throws Unresolvable {
            int typeAt = -1;
            for (int i = 0; i < args.size() && typeAt < 0; i++) {
                if (scalar("resourceId", args.get(i)).contains("/")) {
                    typeAt = i;
                }
            }
            if (typeAt < 0 || typeAt > 2 || typeAt == args.size() - 1) {
                throw new Unresolvable("resourceId() needs a resource type and its names");
            }
            String[] type = scalar("resourceId", args.get(typeAt)).split("/");
            List<String> names = new ArrayList<>();
            for (int i = typeAt + 1; i < args.size(); i++) {
                names.add(scalar("resourceId", args.get(i)));
            }
            StringBuilder id = new StringBuilder("/providers/").append(type[0]);
            for (int i = 1; i < type.length; i++) {
                id.append('/').append(type[i]).append('/').append(i - 1 < names.size() ? names.get(i - 1) : "");
            }
            return id.toString();
        }

        private static String name(String function, List<JsonNode> args) throws Unresolvable {
            return scalar(function, one(function, args));
        }

        private static JsonNode one(String function, List<JsonNode> args) throws Unresolvable {
            if (args.size() != 1) {
                throw new Unresolvable(function + "() takes one argument, not " + args.size());
            }
            return args.get(0);
        }

        private static String scalar(String function, JsonNode value) throws Unresolvable {
            if (!value.isValueNode() || value.isNull()) {
                throw new Unresolvable(function + "() was given " + (value.isNull() ? "null" : "a list or object"));
            }
            return value.asString();
        }
    }
}
