package io.warren.intake;

import com.fasterxml.jackson.databind.JsonNode;
import io.warren.http.ApiError;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

/**
 * What a job payload may hold beyond being JSON, so that it means the same to every reader down
 * the line (handler, audit line, dead letter): text is valid Unicode (an escaped lone surrogate
 * such as {@code "\ud800"} is not, and cannot be written as UTF-8), and every decimal number is a
 * finite double that is not rounded to zero ({@code 1e999999} would be read as Infinity).
 * Integers of any length up to the parser's limit are exact and allowed.
 */
final class PayloadRules {

    private PayloadRules() {
    }

    static void check(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            requireUnicode(node.textValue(), "a string");
        } else if (node.isBigDecimal() || node.isDouble() || node.isFloat()) {
            requireDouble(node.decimalValue());
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                requireUnicode(field.getKey(), "a field name");
                check(field.getValue());
            }
        } else if (node.isArray()) {
            node.forEach(PayloadRules::check);
        }
    }

    private static void requireDouble(BigDecimal number) {
        double value = number.doubleValue();
        if (Double.isInfinite(value) || (value == 0 && number.signum() != 0)) {
            throw new ApiError(400, "number_out_of_range", "The number " + abbreviated(number)
                    + " is outside what a 64-bit float carries (it would be read as " + value + "); send it as a string");
        }
    }

    private static void requireUnicode(String text, String where) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new ApiError(400, "invalid_unicode", "The body holds " + where + " with a lone surrogate (\\u"
                        + Integer.toHexString(c) + " at character " + i + "), which is not Unicode text");
            }
        }
    }

    private static String abbreviated(BigDecimal number) {
        String text = number.toString();
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
