# SPDX-License-Identifier: Apache-2.0
# Integration-test fixtures: `lab` (a fresh namespace lab, always removed) and `l1_kernel`.
"""The fixtures live in lab/fixtures.py; importing them here registers them for every test in
this folder. Every test here needs root: without it, it is skipped, or fails under CI=true."""

from lab.fixtures import _lab_prerequisites, l1_kernel, lab  # noqa: F401
