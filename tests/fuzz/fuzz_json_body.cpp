// The JSON bodies of init, dedup and complete (docs/protocol.md): whatever the bytes,
// the parser answers an object or an error, and the field readers only hand on values
// the handlers may trust.
#include "fuzz_check.h"
#include "json_body.h"
#include "validation.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string body(reinterpret_cast<const char*>(data), size);
    for (const bool allowEmpty : {false, true}) {
        const auto object = hoist::parseJsonObject(body, allowEmpty);
        if (!object)
            continue;
        FUZZ_CHECK(object->is_object());
        // What was accepted survives a round trip: the strings it holds are valid UTF-8
        // (dump() throws otherwise) and echoing them into answers cannot fail.
        // (Compared as text: a number beyond double, such as 1e400, is written as null.)
        FUZZ_CHECK(nlohmann::json::parse(object->dump()).dump() == object->dump());

        for (const char* name : {"size", "expiresIn", "parallel"}) {
            const auto value = hoist::sizeField(*object, name);
            if (value && *value)
                FUZZ_CHECK(**value >= 0);
        }
        if (const auto fingerprint = hoist::fingerprintField(*object); fingerprint && *fingerprint)
            FUZZ_CHECK(hoist::isFingerprint(**fingerprint));
        for (const char* name : {"fileName", "mimeType"}) {
            const auto value = hoist::stringField(*object, name);
            if (value && *value && !hoist::checkFileName(**value))
                FUZZ_CHECK(!(*value)->empty() && (*value)->size() <= 255);
        }
    }
    return 0;
}
