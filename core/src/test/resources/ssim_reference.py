#!/usr/bin/env python3
"""Independent SSIM reference for ImageSimilarityTest (numpy only; no scipy, no skimage).

Straight from Wang, Bovik, Sheikh & Simoncelli, "Image quality assessment: from error
visibility to structural similarity", IEEE TIP 13(4), 2004, and their MATLAB ssim_index.m:
  window = fspecial('gaussian', 11, 1.5) (normalised to sum 1), K1 = 0.01, K2 = 0.03, L = 1,
  mu = filter2(window, img, 'valid'), sigma^2 = filter2(window, img.^2, 'valid') - mu.^2, ...
  ssim_map = ((2 mu1 mu2 + C1)(2 sigma12 + C2)) / ((mu1^2 + mu2^2 + C1)(sigma1^2 + sigma2^2 + C2)),
  mssim = mean(ssim_map).
The 'valid' filtering is done here with numpy.lib.stride_tricks.sliding_window_view and an
einsum over each 11x11 patch (a different route from the Java code's explicit loops).
Pixels are the PGM bytes / 255 in float64.

Usage (from the repository root):
  python3 core/src/test/resources/ssim_reference.py ../shared/datasets/att_faces/s1/1.pgm ../shared/datasets/att_faces/s1/2.pgm
"""
import sys

import numpy as np


def read_pgm(path):
    """Binary (P5) 8-bit PGM -> float64 array in [0, 1]."""
    with open(path, "rb") as f:
        data = f.read()
    tokens, pos = [], 0
    while len(tokens) < 4:  # magic, width, height, maxval; '#' comments allowed
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            while data[pos:pos + 1] not in (b"\n", b"\r"):
                pos += 1
            continue
        start = pos
        while not data[pos:pos + 1].isspace():
            pos += 1
        tokens.append(data[start:pos])
    pos += 1  # exactly one whitespace byte before the raster
    assert tokens[0] == b"P5", tokens[0]
    w, h, maxval = int(tokens[1]), int(tokens[2]), int(tokens[3])
    assert maxval == 255, maxval
    img = np.frombuffer(data, dtype=np.uint8, count=w * h, offset=pos).reshape(h, w)
    return img.astype(np.float64) / 255.0


def gaussian_window(size=11, sigma=1.5):
    ax = np.arange(size, dtype=np.float64) - (size - 1) / 2.0
    u, v = np.meshgrid(ax, ax, indexing="ij")
    g = np.exp(-(u ** 2 + v ** 2) / (2.0 * sigma ** 2))
    return g / g.sum()


def filter_valid(img, win):
    patches = np.lib.stride_tricks.sliding_window_view(img, win.shape)
    return np.einsum("ijkl,kl->ij", patches, win)


def ssim(a, b, L=1.0, K1=0.01, K2=0.03):
    win = gaussian_window()
    C1, C2 = (K1 * L) ** 2, (K2 * L) ** 2
    mu1, mu2 = filter_valid(a, win), filter_valid(b, win)
    s11 = filter_valid(a * a, win) - mu1 ** 2
    s22 = filter_valid(b * b, win) - mu2 ** 2
    s12 = filter_valid(a * b, win) - mu1 * mu2
    m = ((2 * mu1 * mu2 + C1) * (2 * s12 + C2)) / ((mu1 ** 2 + mu2 ** 2 + C1) * (s11 + s22 + C2))
    return m.mean()


if __name__ == "__main__":
    a, b = read_pgm(sys.argv[1]), read_pgm(sys.argv[2])
    print(repr(float(ssim(a, b))))
