// Fixture for the purity check: the include is allowed, the call must be reported (it reads /usr/share/zoneinfo).
// Never compiled.
#include <date/tz.h>

const date::time_zone* NewYork() { return date::locate_zone("America/New_York"); }
