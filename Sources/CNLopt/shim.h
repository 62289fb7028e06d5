// NLopt 2.7 (BOBYQA, NEWUOA). Debian package: libnlopt-dev.
#include <nlopt.h>
