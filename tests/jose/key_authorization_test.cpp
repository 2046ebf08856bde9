#include <doctest/doctest.h>
#include "certman/jose/key_authorization.hpp"

using namespace certman::jose;

TEST_CASE("key_authorization: token '.' thumbprint (RFC 8555 §8.1)") {
    CHECK(key_authorization("evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA", "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs") ==
          "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA.NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    CHECK(key_authorization("", "x") == ".x");
}
