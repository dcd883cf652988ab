# config.mk: the build's knobs.  Override any of them on the command line,
# e.g. `make PREFIX=/opt/attache`, `make CC=clang`, `make WERROR=1`,
# `make SANITIZE=address,undefined test`.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=

CC ?= cc
CXX ?= c++
PKG_CONFIG ?= pkg-config
OPT ?= -O2 -g

# Where the index lives when neither --db nor ATTACHE_DB says.
# (Documented in docs/CLI.md; the program computes it at run time.)

WERROR ?=
SANITIZE ?=
