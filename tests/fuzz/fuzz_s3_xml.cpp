// S3's answers (CreateMultipartUpload, ListParts, ListMultipartUploads, errors) as
// s3_xml picks them apart: an endpoint that answers garbage must not crash hoistd.
#include "fuzz_check.h"
#include "s3_xml.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {
bool within(std::string_view inner, std::string_view whole) {
    return inner.empty() || (inner.data() >= whole.data() &&
                             inner.data() + inner.size() <= whole.data() + whole.size());
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string xml(reinterpret_cast<const char*>(data), size);
    // The element names hoistd reads (s3_client.cpp, s3_error.cpp).
    for (const std::string_view name :
         {"UploadId", "ETag", "Key", "Code", "Message", "IsTruncated", "NextPartNumberMarker",
          "NextKeyMarker", "NextUploadIdMarker", "PartNumber", "Size"}) {
        if (const auto text = hoist::s3xml::text(xml, name))
            FUZZ_CHECK(text->size() <= xml.size() * 4);
    }
    for (const std::string_view name : {"Part", "Upload", "Error"}) {
        for (const std::string_view inner : hoist::s3xml::elements(xml, name)) {
            FUZZ_CHECK(within(inner, xml));
            (void)hoist::s3xml::text(inner, "PartNumber");
            (void)hoist::s3xml::text(inner, "ETag");
        }
    }
    // What we escape into a request body reads back as itself, and never opens a tag.
    const std::string escaped = hoist::s3xml::escape(xml);
    FUZZ_CHECK(escaped.find_first_of("<>\"") == std::string::npos);
    FUZZ_CHECK(hoist::s3xml::unescape(escaped) == xml);
    const std::string wrapped = "<Key>" + escaped + "</Key>";
    FUZZ_CHECK(hoist::s3xml::text(wrapped, "Key") == xml);
    return 0;
}
