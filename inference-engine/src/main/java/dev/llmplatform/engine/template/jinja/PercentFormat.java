package dev.llmplatform.engine.template.jinja;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Python's printf-style {@code str % args} (and Jinja's {@code format} filter, which is the same thing):
 * conversions {@code s r d i f F e E g x X o c %}, flags {@code -+ 0#}, width, precision, and
 * {@code %(name)s} with a mapping.
 */
final class PercentFormat {
    private PercentFormat() {
    }

    static String format(String pattern, Object args) {
        List<Object> positional = args instanceof PyTuple t ? t : List.of(args == null ? NONE : args);
        Map<?, ?> mapping = args instanceof Map<?, ?> m ? m : null;
        StringBuilder out = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < pattern.length()) {
            char c = pattern.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i >= pattern.length()) {
                throw new TemplateRuntimeException("incomplete format");
            }
            Object value = null;
            boolean haveValue = false;
            if (pattern.charAt(i) == '(') {
                int close = pattern.indexOf(')', i);
                if (close < 0 || mapping == null) {
                    throw new TemplateRuntimeException("format requires a mapping");
                }
                String key = pattern.substring(i + 1, close);
                if (!mapping.containsKey(key)) {
                    throw new TemplateRuntimeException("KeyError: " + PyValues.repr(key));
                }
                value = mapping.get(key);
                haveValue = true;
                i = close + 1;
            }
            StringBuilder flags = new StringBuilder();
            while (i < pattern.length() && "-+ 0#".indexOf(pattern.charAt(i)) >= 0) {
                flags.append(pattern.charAt(i++));
            }
            int width = 0;
            while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
                width = width * 10 + (pattern.charAt(i++) - '0');
            }
            int precision = -1;
            if (i < pattern.length() && pattern.charAt(i) == '.') {
                i++;
                precision = 0;
                while (i < pattern.length() && Character.isDigit(pattern.charAt(i))) {
                    precision = precision * 10 + (pattern.charAt(i++) - '0');
                }
            }
            if (i >= pattern.length()) {
                throw new TemplateRuntimeException("incomplete format");
            }
            char conversion = pattern.charAt(i++);
            if (conversion == '%') {
                out.append('%');
                continue;
            }
            if (!haveValue) {
                if (mapping != null && positional.size() == 1) {
                    value = args;
                    next++;
                } else {
                    if (next >= positional.size()) {
                        throw new TemplateRuntimeException("not enough arguments for format string");
                    }
                    value = positional.get(next++);
                }
                value = value == NONE ? null : value;
            }
            out.append(pad(convert(conversion, value, flags.toString(), precision), width, flags.toString(), conversion));
        }
        if (mapping == null && next < positional.size()) {
            throw new TemplateRuntimeException("not all arguments converted during string formatting");
        }
        return out.toString();
    }

    private static final Object NONE = new Object();

    private static String convert(char conversion, Object v, String flags, int precision) {
        String sign = flags.contains("+") ? "+" : flags.contains(" ") ? " " : "";
        return switch (conversion) {
            case 's' -> cut(PyValues.str(v), precision);
            case 'r', 'a' -> cut(PyValues.repr(v), precision);
            case 'd', 'i', 'u' -> withSign(integer(v), sign);
            case 'x' -> (flags.contains("#") ? "0x" : "") + Long.toHexString(integer(v));
            case 'X' -> (flags.contains("#") ? "0X" : "") + Long.toHexString(integer(v)).toUpperCase(Locale.ROOT);
            case 'o' -> (flags.contains("#") ? "0o" : "") + Long.toOctalString(integer(v));
            case 'c' -> v instanceof String s ? s : Character.toString((int) integer(v));
            case 'f', 'F' -> withSign(fixed(real(v), precision < 0 ? 6 : precision), sign);
            case 'e', 'E' -> {
                String s = exponent(real(v), precision < 0 ? 6 : precision, false);
                yield withSign(conversion == 'E' ? s.toUpperCase(Locale.ROOT) : s, sign);
            }
            case 'g', 'G' -> {
                String s = general(real(v), precision < 0 ? 6 : Math.max(precision, 1), flags.contains("#"));
                yield withSign(conversion == 'G' ? s.toUpperCase(Locale.ROOT) : s, sign);
            }
            default -> throw new TemplateRuntimeException("unsupported format character '" + conversion + "'");
        };
    }

    private static String withSign(Object number, String sign) {
        String s = String.valueOf(number);
        return s.startsWith("-") ? s : sign + s;
    }

    /** {@code %.Pe}: one digit, P decimals, exponent with a sign and at least two digits. */
    private static String exponent(double d, int precision, boolean stripZeros) {
        if (!Double.isFinite(d)) {
            return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0 ? "-" : "") + (stripZeros ? "0" : "0" + (precision > 0 ? "." + "0".repeat(precision) : ""))
                    + "e+00";
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN));
        int exp = rounded.precision() - rounded.scale() - 1;
        String digits = rounded.unscaledValue().abs().toString();
        digits = (digits + "0".repeat(precision + 1)).substring(0, precision + 1);
        String mantissa = digits.substring(0, 1) + (precision > 0 ? "." + digits.substring(1) : "");
        if (stripZeros && mantissa.contains(".")) {
            mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return (d < 0 ? "-" : "") + mantissa + (exp < 0 ? "e-" : "e+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
    }

    /** {@code %.Pg}: Python's rule, fixed notation for exponents -4..P-1, otherwise {@code %e}; zeros trimmed. */
    private static String general(double d, int precision, boolean keepZeros) {
        if (!Double.isFinite(d) || d == 0) {
            return d == 0 ? (1 / d < 0 ? "-0" : "0") : exponent(d, precision, true);
        }
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exp = rounded.precision() - rounded.scale() - 1;
        if (exp < -4 || exp >= precision) {
            return exponent(d, precision - 1, !keepZeros);
        }
        String s = rounded.setScale(Math.max(0, precision - 1 - exp), RoundingMode.HALF_EVEN).toPlainString();
        return keepZeros || !s.contains(".") ? s : s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    private static String fixed(double d, int precision) {
        if (!Double.isFinite(d)) {
            return Double.isNaN(d) ? "nan" : d > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static long integer(Object v) {
        if (v instanceof Double d) {
            return (long) d.doubleValue();
        }
        if (!PyValues.isIntegral(v)) {
            throw new TemplateRuntimeException("%d format: a real number is required, not " + PyValues.typeName(v));
        }
        return PyValues.asLong(v);
    }

    private static double real(Object v) {
        if (!PyValues.isNumber(v)) {
            throw new TemplateRuntimeException("must be real number, not " + PyValues.typeName(v));
        }
        return PyValues.asDouble(v);
    }

    private static String cut(String s, int precision) {
        return precision >= 0 && precision < s.length() ? s.substring(0, precision) : s;
    }

    private static String pad(String s, int width, String flags, char conversion) {
        int missing = width - s.codePointCount(0, s.length());
        if (missing <= 0) {
            return s;
        }
        if (flags.contains("-")) {
            return s + " ".repeat(missing);
        }
        if (flags.contains("0") && "diufFeEgGxXo".indexOf(conversion) >= 0) {
            boolean signed = s.startsWith("-") || s.startsWith("+") || s.startsWith(" ");
            return signed ? s.charAt(0) + "0".repeat(missing) + s.substring(1) : "0".repeat(missing) + s;
        }
        return " ".repeat(missing) + s;
    }
}
