// The leading bytes of every uploaded file: the sniffer reads them at finalization and
// names one of the types it knows, whatever they hold.
#include "fuzz_check.h"
#include "mime_sniffer.h"

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::set<std::string> kKnown{"application/octet-stream",
                                              "image/jpeg",
                                              "image/png",
                                              "image/gif",
                                              "application/pdf",
                                              "application/zip",
                                              "video/x-matroska",
                                              "video/webm",
                                              "audio/mpeg",
                                              "audio/ogg",
                                              "audio/flac",
                                              "application/gzip",
                                              "image/webp",
                                              "audio/wav",
                                              "video/x-msvideo",
                                              "video/quicktime",
                                              "audio/mp4",
                                              "image/heic",
                                              "video/mp4",
                                              "image/bmp"};
    const std::string_view head(reinterpret_cast<const char*>(data), size);
    const std::string type = hoist::sniffMimeType(head);
    FUZZ_CHECK(kKnown.count(type) == 1);
    // Every prefix is sniffed too: finalization may see fewer bytes than a full file.
    for (std::size_t cut = 0; cut < head.size() && cut < 16; ++cut)
        FUZZ_CHECK(kKnown.count(hoist::sniffMimeType(head.substr(0, cut))) == 1);
    return 0;
}
