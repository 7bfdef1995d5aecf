// The whole C surface Baton uses: libuv from Debian's libuv1-dev. Only Sources/UV imports this module.
#include <uv.h>
