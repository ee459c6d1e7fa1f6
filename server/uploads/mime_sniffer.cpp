#include "mime_sniffer.h"

#include <array>

namespace hoist {

namespace {
bool startsWith(std::string_view data, std::string_view prefix, std::size_t at = 0) {
    return data.size() >= at + prefix.size() && data.substr(at, prefix.size()) == prefix;
}

using namespace std::string_view_literals;

struct Signature {
    std::string_view magic;
    std::size_t offset;
    const char* mime;
};

// Order matters only where one signature is a prefix of another (none here).
constexpr std::array kSignatures{
    Signature{"\xFF\xD8\xFF"sv, 0, "image/jpeg"},
    Signature{"\x89PNG\r\n\x1A\n"sv, 0, "image/png"},
    Signature{"GIF87a"sv, 0, "image/gif"},
    Signature{"GIF89a"sv, 0, "image/gif"},
    Signature{"%PDF-"sv, 0, "application/pdf"},
    Signature{"PK\x03\x04"sv, 0, "application/zip"},
    Signature{"PK\x05\x06"sv, 0, "application/zip"},
    Signature{"\x1A\x45\xDF\xA3"sv, 0, "video/x-matroska"},
    Signature{"ID3"sv, 0, "audio/mpeg"},
    Signature{"OggS"sv, 0, "audio/ogg"},
    Signature{"fLaC"sv, 0, "audio/flac"},
    Signature{"\x1F\x8B"sv, 0, "application/gzip"},
};

// EBML files name their flavour in the DocType element (ID 0x4282, a one-byte size,
// then the name) near the start.
const char* matroskaFlavour(std::string_view head) {
    const auto docType = head.find("\x42\x82"sv);
    return docType != std::string_view::npos && docType + 3 <= head.size() &&
                   head.substr(docType + 3, 4) == "webm"
               ? "video/webm"
               : "video/x-matroska";
}

// "BM" alone is too common a start; a bitmap file header also has four reserved
// zero bytes after its size field.
bool isBitmap(std::string_view head) {
    return startsWith(head, "BM") && head.size() >= 14 && head.substr(6, 4) == "\0\0\0\0"sv;
}

const char* isoMediaType(std::string_view head) {
    // ISO base media: a box size, then "ftyp" and the major brand.
    const std::string_view brand = head.substr(8, 4);
    if (brand == "qt  ")
        return "video/quicktime";
    if (brand.substr(0, 3) == "M4A")
        return "audio/mp4";
    if (brand == "heic" || brand == "heix" || brand == "mif1")
        return "image/heic";
    return "video/mp4";
}

bool isMpegAudioFrame(std::string_view head) {
    if (head.size() < 2)
        return false;
    const auto b0 = static_cast<unsigned char>(head[0]);
    const auto b1 = static_cast<unsigned char>(head[1]);
    // Frame sync (11 bits), a valid version and layer III.
    return b0 == 0xFF && (b1 & 0xE0) == 0xE0 && (b1 & 0x06) == 0x02 && (b1 & 0x18) != 0x08;
}
} // namespace

std::string sniffMimeType(std::string_view head) {
    if (startsWith(head, "RIFF") && head.size() >= 12) {
        if (startsWith(head, "WEBP", 8))
            return "image/webp";
        if (startsWith(head, "WAVE", 8))
            return "audio/wav";
        if (startsWith(head, "AVI ", 8))
            return "video/x-msvideo";
    }
    if (head.size() >= 12 && startsWith(head, "ftyp", 4))
        return isoMediaType(head);
    for (const auto& signature : kSignatures) {
        if (startsWith(head, signature.magic, signature.offset)) {
            if (signature.magic == "\x1A\x45\xDF\xA3"sv)
                return matroskaFlavour(head);
            return signature.mime;
        }
    }
    if (isBitmap(head))
        return "image/bmp";
    if (isMpegAudioFrame(head))
        return "audio/mpeg";
    return "application/octet-stream";
}

} // namespace hoist
