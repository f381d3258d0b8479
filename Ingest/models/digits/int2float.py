#!/usr/bin/env python3
"""Turn an integer ("fast", --convert_to_int) Tesseract LSTM recognizer back into a
float one, so that `lstmtraining --continue_from` accepts it.

lstmtraining refuses to continue from an integer model ("is an integer (fast)
model, cannot continue training"), and the float checkpoint of the committed
digits model was not kept. An int8 weight matrix stores, per output row, int8
weights w_i and one scale s (serialized as max|w| / 127); the float weight is
w_i * s. This script rewrites every weight matrix of the network as doubles and
clears the TF_INT_MODE training flag; everything else is copied byte for byte.
Weights stay exactly the quantized values, so the float model recognizes like
the int model (up to the int8 rounding of activations at run time).

Format: Tesseract 5.x serialization (network.cpp, plumbing.cpp, lstm.cpp,
fullyconnected.cpp, weightmatrix.cpp, lstmrecognizer.cpp), little endian.

usage: int2float.py in.lstm out.lstm      (in.lstm from `combine_tessdata -e X.traineddata X.lstm`)
"""
import struct
import sys

K_INT8, K_ADAM, K_DOUBLE = 1, 4, 128
TF_INT_MODE = 1
PLUMBING = {"Parallel", "Replicated", "ParBidiLSTM", "DepParUDLSTM", "Par2dLSTM", "Series",
            "RTLReversed", "TTBReversed", "XYTranspose"}
FULLY = {"Logistic", "LinLogistic", "LinTanh", "Tanh", "Relu", "Linear", "Softmax", "SoftmaxNoCTC"}
LSTMS = {"LSTM", "SummLSTM", "LSTMSoftmax", "LSTMBinarySoftmax"}
NF_LAYER_SPECIFIC_LR = 64


class R:
    def __init__(self, b):
        self.b, self.p = b, 0

    def take(self, n):
        s = self.b[self.p:self.p + n]
        assert len(s) == n, "truncated"
        self.p += n
        return s

    def u(self, fmt):
        return struct.unpack("<" + fmt, self.take(struct.calcsize("<" + fmt)))


def weight_matrix(r, out, stats):
    mode, = r.u("B")
    assert mode & K_DOUBLE, "old weight format not supported"
    if not mode & K_INT8:                          # already float: copy
        d1, d2 = r.u("II")
        raw = r.take(8 + 8 * d1 * d2)
        out += struct.pack("<BII", mode, d1, d2) + raw
        return d1, d2
    d1, d2 = r.u("II")
    r.u("b")                                       # empty_
    w = struct.unpack("<%db" % (d1 * d2), r.take(d1 * d2))
    n, = r.u("I")
    assert n >= d1, (n, d1)                        # padded to the SIMD output block size
    scales = r.u("%dd" % n)[:d1]
    out += struct.pack("<BII", mode & ~K_INT8, d1, d2) + struct.pack("<d", 0.0)
    out += struct.pack("<%dd" % (d1 * d2), *(w[i * d2 + j] * scales[i] for i in range(d1) for j in range(d2)))
    stats.append((d1, d2))
    return d1, d2


def network(r, out, stats):
    start = r.p
    nt, = r.u("b")
    assert nt == 0, "expected NT_NONE marker"
    ln, = r.u("I")
    tname = r.take(ln).decode()
    training, backprop = r.u("bb")
    flags, ni, no, nw = r.u("iiii")
    ln, = r.u("I")
    r.take(ln)                                     # name
    out += r.b[start:r.p]
    if tname == "Input":
        out += r.take(20)                          # StaticShape: 5 x int32
    elif tname in ("Convolve", "Maxpool", "Reconfig"):
        out += r.take(8)                           # half_x/half_y or x_scale/y_scale
    elif tname in FULLY:
        weight_matrix(r, out, stats)
    elif tname in LSTMS:
        na, = r.u("i")
        out += struct.pack("<i", na)
        nf = no if tname == "LSTMSoftmax" else 0
        assert tname != "LSTMBinarySoftmax", "not supported"
        ns, _ = weight_matrix(r, out, stats)         # CI
        is2d = na - nf == ni + 2 * ns
        for _ in range(3 + (1 if is2d else 0)):      # GI GF1 GO (GFS)
            weight_matrix(r, out, stats)
        if tname == "LSTMSoftmax":
            network(r, out, stats)
    elif tname in PLUMBING:
        n, = r.u("I")
        out += struct.pack("<I", n)
        for _ in range(n):
            network(r, out, stats)
        if flags & NF_LAYER_SPECIFIC_LR:
            k, = r.u("I")
            out += struct.pack("<I", k) + r.take(4 * k)
    else:
        raise SystemExit("unsupported layer type %s" % tname)
    return tname


def main():
    src, dst = sys.argv[1], sys.argv[2]
    r = R(open(src, "rb").read())
    out, stats = bytearray(), []
    network(r, out, stats)
    # LSTMRecognizer tail. The charsets are only inside when the traineddata has no
    # lstm-unicharset / lstm-recoder components; ours has them, so the tail is:
    # network_str_, training_flags_, training_iteration_, sample_iteration_, null_char_,
    # adam_beta_, learning_rate_, momentum_.
    ln, = r.u("I")
    spec = r.take(ln)
    flags, it, sit, null = r.u("iiii")
    beta, lr, mom = r.u("fff")
    assert r.p == len(r.b), "%d trailing bytes: unexpected format" % (len(r.b) - r.p)
    out += struct.pack("<I", ln) + spec
    out += struct.pack("<iiiifff", flags & ~TF_INT_MODE, it, sit, null, beta, lr, mom)
    open(dst, "wb").write(out)
    print("%s: spec %s, flags %d -> %d, iteration %d, null_char %d, %d int matrices -> float (%d weights)"
          % (dst, spec.decode(), flags, flags & ~TF_INT_MODE, it, null, len(stats),
             sum(a * b for a, b in stats)))


if __name__ == "__main__":
    main()
