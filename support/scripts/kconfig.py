#!/usr/bin/python3
# Kconfig front end for the build: defconfig, olddefconfig, savedefconfig and
# genconfig (writes uk/config.h). Every assignment that does not take effect
# (unknown symbol, value forbidden by dependencies, bad value) is an error.
import os
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


def check_assignments(kconf, what):
    """Fail on kconfiglib warnings and on values the tree refused."""
    problems = []
    for w in kconf.warnings:
        problems.append(w)
    for sym in kconf.unique_defined_syms:
        if sym.user_value is None:
            continue
        user = sym.user_value
        if sym.orig_type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            user = kconfiglib.TRI_TO_STR[user]
        if user != sym.str_value:
            deps = kconfiglib.expr_str(sym.direct_dep)
            problems.append(
                "{} sets {}={} but it is {}: its dependencies ({}) are "
                "not met or a 'select'/'choice' overrides it".format(
                    what, sym.name, user, sym.str_value or "unset", deps))
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
        if os.path.exists(config):
            kconf.load_config(config)
        # Values in an existing .config that no longer apply are dropped
        # (olddefconfig semantics) but reported.
        for w in kconf.warnings:
            sys.stderr.write("kconfig: warning: " + w + "\n")
        write_outputs(kconf, config, header)
    elif cmd == "savedefconfig":
        kconf.load_config(config)
        out = sys.argv[5]
        kconf.write_min_config(out)
        print("kconfig: wrote minimal config to " + out)
    else:
        die("unknown command " + cmd)


if __name__ == "__main__":
    main()
