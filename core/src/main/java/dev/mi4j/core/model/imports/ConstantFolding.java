package dev.mi4j.core.model.imports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import onnx.Onnx;

/**
 * Evaluates the small constant sub-graphs exporters leave in ONNX files (torch.onnx writes a
 * ZeroPad2d's pads as ConstantOfShape, Concat, Reshape, Slice, Transpose, Cast over constants),
 * so that the layer that reads the result sees a constant. Only integer and float tensors of a
 * few elements are expected; values are held in double (exact for integers below 2^53).
 */
final class ConstantFolding {

    /** A constant tensor: values in row-major order, dims, ONNX element type. */
    record Value(double[] values, long[] dims, int type) {
    }

    private ConstantFolding() {
    }

    /**
     * The node's output when every input is a constant and the operator is one of Identity, Cast,
     * ConstantOfShape, Reshape, Transpose, Slice, Concat, Unsqueeze, Squeeze, Gather; else null.
     *
     * @param in     the inputs (null for an omitted optional input)
     * @param tensor reads a TensorProto attribute (ConstantOfShape's value)
     */
    static Value fold(Onnx.NodeProto node, List<Value> in, int opset, Function<Onnx.TensorProto, Value> tensor) {
        return switch (node.getOpType()) {
            case "Identity" -> in.get(0);
            case "Cast" -> cast(in.get(0), (int) attrInt(node, "to", in.get(0).type()));
            case "ConstantOfShape" -> constantOfShape(node, in.get(0), tensor);
            case "Reshape" -> reshape(in.get(0), longs(in.get(1)));
            case "Transpose" -> transpose(in.get(0), attrInts(node, "perm"));
            case "Slice" -> opset >= 10
                    ? slice(in.get(0), longs(in.get(1)), longs(in.get(2)), arg(in, 3), arg(in, 4))
                    : slice(in.get(0), attrInts(node, "starts"), attrInts(node, "ends"), attrInts(node, "axes"), null);
            case "Concat" -> concat(in, (int) attrInt(node, "axis", 0));
            case "Unsqueeze" -> unsqueeze(in.get(0), opset >= 13 ? longs(in.get(1)) : attrInts(node, "axes"));
            case "Squeeze" -> squeeze(in.get(0), opset >= 13 ? arg(in, 1) : attrInts(node, "axes"));
            case "Gather" -> gather(in.get(0), in.get(1), (int) attrInt(node, "axis", 0));
            default -> null;
        };
    }

    private static long[] arg(List<Value> in, int i) {
        return in.size() > i && in.get(i) != null ? longs(in.get(i)) : null;
    }

    private static long[] longs(Value v) {
        long[] r = new long[v.values().length];
        for (int i = 0; i < r.length; i++) {
            r[i] = (long) v.values()[i];
        }
        return r;
    }

    private static Value cast(Value v, int to) {
        boolean integer = to == 6 || to == 7 || to == 5 || to == 3 || to == 2 || to == 4 || to == 12 || to == 13;
        double[] out = v.values().clone();
        if (integer) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (long) out[i];
            }
        }
        return new Value(out, v.dims(), to);
    }

    private static Value constantOfShape(Onnx.NodeProto node, Value shape, Function<Onnx.TensorProto, Value> tensor) {
        long[] dims = longs(shape);
        double fill = 0;
        int type = 1;
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals("value")) {
                Value v = tensor.apply(a.getT());
                fill = v.values().length == 0 ? 0 : v.values()[0];
                type = v.type();
            }
        }
        double[] out = new double[(int) size(dims)];
        Arrays.fill(out, fill);
        return new Value(out, dims, type);
    }

    private static Value reshape(Value v, long[] target) {
        long[] dims = target.clone();
        long known = 1;
        int infer = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0 && i < v.dims().length) {
                dims[i] = v.dims()[i];
            }
            if (dims[i] == -1) {
                infer = i;
            } else {
                known *= dims[i];
            }
        }
        if (infer >= 0) {
            dims[infer] = v.values().length / Math.max(1, known);
        }
        if (size(dims) != v.values().length) {
            return null;
        }
        return new Value(v.values(), dims, v.type());
    }

    private static Value transpose(Value v, long[] permOrNull) {
        int r = v.dims().length;
        long[] perm = permOrNull;
        if (perm == null) {
            perm = new long[r];
            for (int i = 0; i < r; i++) {
                perm[i] = r - 1 - i;
            }
        }
        long[] dims = new long[r];
        for (int i = 0; i < r; i++) {
            dims[i] = v.dims()[(int) perm[i]];
        }
        long[] inStrides = strides(v.dims());
        double[] out = new double[v.values().length];
        long[] idx = new long[r];
        for (int k = 0; k < out.length; k++) {
            long src = 0;
            for (int i = 0; i < r; i++) {
                src += idx[i] * inStrides[(int) perm[i]];
            }
            out[k] = v.values()[(int) src];
            increment(idx, dims);
        }
        return new Value(out, dims, v.type());
    }

    private static Value slice(Value v, long[] starts, long[] ends, long[] axesOrNull, long[] stepsOrNull) {
        int r = v.dims().length;
        long[] start = new long[r];
        long[] step = new long[r];
        long[] len = v.dims().clone();
        Arrays.fill(step, 1);
        for (int j = 0; j < starts.length; j++) {
            int axis = (int) (axesOrNull == null ? j : axesOrNull[j] < 0 ? axesOrNull[j] + r : axesOrNull[j]);
            long dim = v.dims()[axis];
            long st = stepsOrNull == null ? 1 : stepsOrNull[j];
            if (st == 0) {
                return null;
            }
            long s = starts[j] < 0 ? starts[j] + dim : starts[j];
            long e = ends[j] < 0 ? ends[j] + dim : ends[j];
            if (st > 0) {
                s = Math.max(0, Math.min(dim, s));
                e = Math.max(0, Math.min(dim, e));
            } else {
                s = Math.max(-1, Math.min(dim - 1, s));
                e = Math.max(-1, Math.min(dim - 1, e));
            }
            start[axis] = s;
            step[axis] = st;
            len[axis] = Math.max(0, st > 0 ? (e - s + st - 1) / st : (s - e - st - 1) / -st);
        }
        long[] inStrides = strides(v.dims());
        double[] out = new double[(int) size(len)];
        long[] idx = new long[r];
        for (int k = 0; k < out.length; k++) {
            long src = 0;
            for (int i = 0; i < r; i++) {
                src += (start[i] + idx[i] * step[i]) * inStrides[i];
            }
            out[k] = v.values()[(int) src];
            increment(idx, len);
        }
        return new Value(out, len, v.type());
    }

    private static Value concat(List<Value> parts, int axisArg) {
        Value first = parts.get(0);
        int r = first.dims().length;
        int axis = axisArg < 0 ? axisArg + r : axisArg;
        long[] dims = first.dims().clone();
        dims[axis] = 0;
        for (Value p : parts) {
            if (p == null || p.dims().length != r) {
                return null;
            }
            dims[axis] += p.dims()[axis];
        }
        // Row-major: the result is, for every index before the axis, each part's block in turn.
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= dims[i];
        }
        List<Double> out = new ArrayList<>();
        for (long o = 0; o < outer; o++) {
            for (Value p : parts) {
                long block = p.values().length / Math.max(1, outer);
                for (long k = 0; k < block; k++) {
                    out.add(p.values()[(int) (o * block + k)]);
                }
            }
        }
        return new Value(out.stream().mapToDouble(Double::doubleValue).toArray(), dims, first.type());
    }

    private static Value unsqueeze(Value v, long[] axes) {
        if (axes == null) {
            return null;
        }
        int r = v.dims().length + axes.length;
        long[] dims = new long[r];
        boolean[] inserted = new boolean[r];
        for (long a : axes) {
            inserted[(int) (a < 0 ? a + r : a)] = true;
        }
        for (int i = 0, j = 0; i < r; i++) {
            dims[i] = inserted[i] ? 1 : v.dims()[j++];
        }
        return new Value(v.values(), dims, v.type());
    }

    private static Value squeeze(Value v, long[] axes) {
        List<Long> dims = new ArrayList<>();
        int r = v.dims().length;
        for (int i = 0; i < r; i++) {
            boolean drop = false;
            if (axes == null) {
                drop = v.dims()[i] == 1;
            } else {
                for (long a : axes) {
                    drop |= (a < 0 ? a + r : a) == i;
                }
            }
            if (!drop) {
                dims.add(v.dims()[i]);
            }
        }
        return new Value(v.values(), dims.stream().mapToLong(Long::longValue).toArray(), v.type());
    }

    private static Value gather(Value v, Value indices, int axisArg) {
        int r = v.dims().length;
        int axis = axisArg < 0 ? axisArg + r : axisArg;
        long[] idx = longs(indices);
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= v.dims()[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < r; i++) {
            inner *= v.dims()[i];
        }
        long dim = v.dims()[axis];
        double[] out = new double[(int) (outer * idx.length * inner)];
        int k = 0;
        for (long o = 0; o < outer; o++) {
            for (long ix : idx) {
                long j = ix < 0 ? ix + dim : ix;
                if (j < 0 || j >= dim) {
                    return null;
                }
                for (long i = 0; i < inner; i++) {
                    out[k++] = v.values()[(int) ((o * dim + j) * inner + i)];
                }
            }
        }
        long[] dims = new long[r - 1 + indices.dims().length];
        int d = 0;
        for (int i = 0; i < axis; i++) {
            dims[d++] = v.dims()[i];
        }
        for (long x : indices.dims()) {
            dims[d++] = x;
        }
        for (int i = axis + 1; i < r; i++) {
            dims[d++] = v.dims()[i];
        }
        return new Value(out, dims, v.type());
    }

    private static long size(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    private static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    private static void increment(long[] idx, long[] dims) {
        for (int i = idx.length - 1; i >= 0; i--) {
            if (++idx[i] < dims[i]) {
                return;
            }
            idx[i] = 0;
        }
    }

    private static long attrInt(Onnx.NodeProto node, String name, long dflt) {
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getI();
            }
        }
        return dflt;
    }

    private static long[] attrInts(Onnx.NodeProto node, String name) {
        for (Onnx.AttributeProto a : node.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getIntsList().stream().mapToLong(Long::longValue).toArray();
            }
        }
        return null;
    }
}
