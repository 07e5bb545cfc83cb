package kiln.engine.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A JSON node with its path from the root, so that every problem found while reading names its place:
 * "project.json at $.graph.nodes[3].params.kernel: ...".
 */
record Json(JsonNode node, String path, String file) {

    ProjectFormatException error(String problem) {
        return new ProjectFormatException(file + " at " + path + ": " + problem);
    }

    boolean has(String key) {
        return node.has(key) && !node.get(key).isNull();
    }

    Json get(String key) throws ProjectFormatException {
        if (!node.isObject()) throw error("should be an object {…} but is " + describe(node));
        if (!has(key)) throw new ProjectFormatException(file + " at " + path + ": the entry \"" + key + "\" is missing");
        return new Json(node.get(key), path + "." + key, file);
    }

    /** The child at key without checking that it exists, for messages about a value already read. */
    Json get0(String key) {
        return new Json(node.path(key), path + "." + key, file);
    }

    /** Reads one kind of value at a key, e.g. {@code Json::number}. */
    @FunctionalInterface
    interface Reader<T> {
        T read(Json json, String key) throws ProjectFormatException;
    }

    /** The value at key, read by {@code reader}, or {@code fallback} when the key is absent or null. */
    <T> T optional(String key, Reader<T> reader, T fallback) throws ProjectFormatException {
        return has(key) ? reader.read(this, key) : fallback;
    }

    Json object(String key) throws ProjectFormatException {
        Json j = get(key);
        j.require(j.node.isObject(), "an object {…}");
        return j;
    }

    List<Json> array(String key) throws ProjectFormatException {
        Json j = get(key);
        j.require(j.node.isArray(), "a list […]");
        List<Json> out = new ArrayList<>();
        for (int i = 0; i < j.node.size(); i++) out.add(new Json(j.node.get(i), j.path + "[" + i + "]", file));
        return out;
    }

    String text(String key) throws ProjectFormatException {
        return checked(key, JsonNode::isTextual, "text in quotes").asText();
    }

    int integer(String key) throws ProjectFormatException {
        return checked(key, n -> n.isIntegralNumber() && n.canConvertToInt(), "a whole number").intValue();
    }

    long longValue(String key) throws ProjectFormatException {
        return checked(key, n -> n.isIntegralNumber() && n.canConvertToLong(), "a whole number").longValue();
    }

    double number(String key) throws ProjectFormatException {
        return checked(key, JsonNode::isNumber, "a number").doubleValue();
    }

    boolean bool(String key) throws ProjectFormatException {
        return checked(key, JsonNode::isBoolean, "true or false").booleanValue();
    }

    /** The value at key, refused unless it {@code fits}. */
    private JsonNode checked(String key, Predicate<JsonNode> fits, String shouldBe) throws ProjectFormatException {
        Json j = get(key);
        j.require(fits.test(j.node), shouldBe);
        return j.node;
    }

    /** Refuses this value unless {@code fits}, saying what it {@code shouldBe} ("a number") and what it is. */
    private void require(boolean fits, String shouldBe) throws ProjectFormatException {
        if (!fits) throw error("should be " + shouldBe + " but is " + describe(node));
    }

    /** An object's entries as plain Java values (Integer/Long, Double, String, Boolean). */
    Map<String, Object> plainMap(String key) throws ProjectFormatException {
        Json j = object(key);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = j.node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object plain;
            if (v.isIntegralNumber()) plain = v.canConvertToInt() ? (Object) v.intValue() : (Object) v.longValue();
            else if (v.isNumber()) plain = v.doubleValue();
            else if (v.isTextual()) plain = v.asText();
            else if (v.isBoolean()) plain = v.booleanValue();
            else throw new Json(v, j.path + "." + e.getKey(), file).error("should be a number, text or true/false but is " + describe(v));
            out.put(e.getKey(), plain);
        }
        return out;
    }

    static void putPlain(ObjectNode target, String key, Object value) {
        if (value instanceof Integer i) target.put(key, i);
        else if (value instanceof Long l) target.put(key, l);
        else if (value instanceof Double d) target.put(key, d);
        else if (value instanceof Number n) target.put(key, n.doubleValue());
        else if (value instanceof Boolean b) target.put(key, b);
        else target.put(key, String.valueOf(value));
    }

    static String describe(JsonNode n) {
        if (n.isObject()) return "an object";
        if (n.isArray()) return "a list";
        if (n.isTextual()) return "the text \"" + n.asText() + "\"";
        if (n.isNull()) return "null";
        return n.toString();
    }
}
