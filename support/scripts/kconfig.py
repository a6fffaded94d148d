#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Kconfig front end for the build: defconfig, olddefconfig, savedefconfig and
# genconfig (writes uk/config.h). In a defconfig, every assignment that does
# not take effect is an error that names its line and the cause: unknown
# symbol, malformed value, value outside the range, a symbol others select,
# a choice with another member, dependencies that are off, no prompt.
import os
import re
import sys

import kconfiglib


def die(msg):
    sys.stderr.write("kconfig: error: " + msg.rstrip() + "\n")
    sys.exit(1)


def load_tree(root_kconfig):
    try:
        # warn=True: kconfiglib prints its own diagnostics; we turn the
        # assignment ones into failures below.
        kconf = kconfiglib.Kconfig(root_kconfig, warn_to_stderr=False)
    except kconfiglib.KconfigError as e:
        die(str(e))
    kconf.warn_assign_undef = True
    kconf.warn_assign_override = True
    kconf.warn_assign_redun = False
    return kconf


def plain(warning):
    """kconfiglib's warning text without its own "warning: " tag (we say
    whether it is an error or a warning ourselves)."""
    return warning.replace("warning: ", "", 1)


def assignment_line(path, name, prefix):
    """'path:N' of the last line of a defconfig that assigns name (the one
    that took effect), or just path."""
    pat = re.compile(r"^(?:{0}{1}=|# {0}{1} is not set)".format(
        re.escape(prefix), re.escape(name)))
    found = None
    try:
        with open(path) as f:
            for n, line in enumerate(f, 1):
                if pat.match(line):
                    found = n
    except OSError:
        pass
    return path if found is None else "{}:{}".format(path, found)


def active_range(sym):
    """(low, high) of the range in effect for an int/hex symbol, or None."""
    base = 16 if sym.orig_type == kconfiglib.HEX else 10
    for low, high, cond in sym.ranges:
        if kconfiglib.expr_value(cond):
            try:
                return (int(low.str_value, base), int(high.str_value, base))
            except ValueError:
                return None
    return None


def selector(term):
    """The selecting symbol of one term of a reverse dependency: 'select X
    if C' in symbol S adds S, or (S && C), to X's rev_dep."""
    while isinstance(term, tuple):
        term = term[1]
    return term


def why_refused(sym, user):
    """Why the tree gave sym another value than the user asked for."""
    if sym.orig_type in (kconfiglib.INT, kconfiglib.HEX) and \
            sym.visibility:
        rng = active_range(sym)
        base = 16 if sym.orig_type == kconfiglib.HEX else 10
        try:
            val = int(user, base)
        except ValueError:
            val = None
        if rng is not None and val is not None and \
                not rng[0] <= val <= rng[1]:
            fmt = hex if base == 16 else str
            return "it is outside the range {}-{}".format(
                fmt(rng[0]), fmt(rng[1]))
    if not any(node.prompt for node in sym.nodes):
        return "it has no prompt: other options set it"
    selectors = sorted(
        selector(t).name
        for t in kconfiglib.split_expr(sym.rev_dep, kconfiglib.OR)
        if kconfiglib.expr_value(t))
    if selectors and user == "n":
        return "it is selected by " + ", ".join(selectors)
    if sym.choice is not None and sym.choice.selection is not None and \
            sym.choice.selection is not sym:
        return "the choice it belongs to has {} instead".format(
            sym.choice.selection.name)
    if not kconfiglib.expr_value(sym.direct_dep):
        off = sorted(
            "{}={}".format(s.name, s.str_value or "unset")
            for s in kconfiglib.expr_items(sym.direct_dep)
            if isinstance(s, kconfiglib.Symbol) and not s.is_constant
            and not s.tri_value)
        return "it depends on {}{}".format(
            kconfiglib.expr_str(sym.direct_dep),
            " (" + ", ".join(off) + ")" if off else "")
    return "its menu or a choice overrides it"


def refused(kconf, what):
    """One line per value in file what that the tree did not take, naming
    the cause: range, selectors, choice, dependencies or no prompt."""
    problems = []
    for sym in kconf.unique_defined_syms:
        if sym.user_value is None:
            continue
        user = sym.user_value
        if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            user = kconfiglib.TRI_TO_STR[user]
        if user != sym.str_value:
            problems.append("{}: sets {}={} but it is {}: {}".format(
                assignment_line(what, sym.name, kconf.config_prefix),
                sym.name, user, sym.str_value or "unset",
                why_refused(sym, user)))
    return problems


def located(kconf, warning, what):
    """A kconfiglib warning, prefixed with the defconfig line it is about
    when kconfiglib gave none (a malformed value names only the symbol)."""
    m = re.match(r"warning: the value .* is invalid for (\w+) ", warning)
    if m is None:
        return plain(warning)
    return "{}: {}".format(
        assignment_line(what, m.group(1), kconf.config_prefix),
        plain(warning))


def check_assignments(kconf, what):
    """Fail on kconfiglib warnings and on values the tree refused."""
    problems = [located(kconf, w, what) for w in kconf.warnings] + \
        refused(kconf, what)
    if problems:
        die("\n".join(problems))


def write_outputs(kconf, config, header):
    kconf.write_config(config, save_old=False)
    os.makedirs(os.path.dirname(header), exist_ok=True)
    kconf.write_autoconf(header)


def main():
    if len(sys.argv) < 4:
        die("usage: kconfig.py <defconfig|olddefconfig|savedefconfig|genconfig>"
            " <Config.uk> <.config> [uk/config.h] [defconfig-file]")
    cmd, root, config = sys.argv[1:4]
    header = sys.argv[4] if len(sys.argv) > 4 else None
    kconf = load_tree(root)
    if cmd == "defconfig":
        src = sys.argv[5]
        if not os.path.exists(src):
            die("no defconfig file " + src)
        kconf.load_config(src)
        check_assignments(kconf, src)
        write_outputs(kconf, config, header)
        print("kconfig: wrote {} from {}".format(config, src))
    elif cmd in ("olddefconfig", "genconfig"):
        dropped = []
        if os.path.exists(config):
            kconf.load_config(config)
            dropped = refused(kconf, config)
        # Values in an existing .config that no longer apply are dropped
        # (olddefconfig semantics) but reported, after writing: kconfiglib
        # notices out-of-range values only when it computes them.
        write_outputs(kconf, config, header)
        for w in [plain(w) for w in kconf.warnings] + dropped:
            sys.stderr.write("kconfig: warning: " + w + "\n")
    elif cmd == "savedefconfig":
        kconf.load_config(config)
        out = sys.argv[5]
        kconf.write_min_config(out)
        print("kconfig: wrote minimal config to " + out)
    else:
        die("unknown command " + cmd)


if __name__ == "__main__":
    main()
