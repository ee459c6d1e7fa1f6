// detectedMimeType comes from the file's leading bytes (docs/protocol.md, Finalization).
#include "mime_sniffer.h"

#include <QTest>

using namespace hoist;

namespace {
const std::string kUnknown = "application/octet-stream";

std::string bytes(const QByteArray& data) {
    return data.toStdString();
}
} // namespace

class TestMimeSniffer final : public QObject {
    Q_OBJECT

  private slots:
    void detects_data();
    void detects();
    void truncatedHeadsNeverClaimAnotherType_data() { detects_data(); }
    void truncatedHeadsNeverClaimAnotherType();
    void unknownAndShortInputs_data();
    void unknownAndShortInputs();
};

void TestMimeSniffer::detects_data() {
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QString>("expected");
    QTest::newRow("JPEG (JFIF)") << QByteArray("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11)
                                 << "image/jpeg";
    QTest::newRow("JPEG (Exif)") << QByteArray("\xFF\xD8\xFF\xE1\x2F\xFE"
                                               "Exif",
                                               10)
                                 << "image/jpeg";
    QTest::newRow("PNG") << QByteArray("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16) << "image/png";
    QTest::newRow("GIF87a") << QByteArray("GIF87a\x01\x00\x01\x00", 10) << "image/gif";
    QTest::newRow("GIF89a") << QByteArray("GIF89a\x01\x00\x01\x00", 10) << "image/gif";
    QTest::newRow("WebP") << QByteArray("RIFF\x24\x00\x00\x00WEBPVP8 ", 16) << "image/webp";
    QTest::newRow("PDF") << QByteArray("%PDF-1.7\n%\xE2\xE3\xCF\xD3") << "application/pdf";
    QTest::newRow("ZIP") << QByteArray("PK\x03\x04\x14\x00\x00\x00", 8) << "application/zip";
    QTest::newRow("empty ZIP") << QByteArray("PK\x05\x06\x00\x00", 6) << "application/zip";
    QTest::newRow("MP4 (isom)") << QByteArray("\x00\x00\x00\x20"
                                              "ftypisom\x00\x00\x02\x00",
                                              16)
                                << "video/mp4";
    QTest::newRow("MP4 (mp42)") << QByteArray("\x00\x00\x00\x18"
                                              "ftypmp42\x00\x00\x00\x00",
                                              16)
                                << "video/mp4";
    QTest::newRow("MOV") << QByteArray("\x00\x00\x00\x14"
                                       "ftypqt  \x20\x05\x03\x00",
                                       16)
                         << "video/quicktime";
    QTest::newRow("Matroska") << QByteArray("\x1A\x45\xDF\xA3\x93\x42\x82\x88matroska", 16)
                              << "video/x-matroska";
    QTest::newRow("WebM") << QByteArray("\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm", 16)
                          << "video/webm";
    QTest::newRow("MP3 (ID3v2)") << QByteArray("ID3\x04\x00\x00\x00\x00\x00\x23", 10)
                                 << "audio/mpeg";
    QTest::newRow("MP3 (MPEG-1 frame)") << QByteArray("\xFF\xFB\x90\x64", 4) << "audio/mpeg";
    QTest::newRow("MP3 (MPEG-2 frame)") << QByteArray("\xFF\xF3\x48\xC4", 4) << "audio/mpeg";
    QTest::newRow("MP3 (MPEG-2.5 frame)") << QByteArray("\xFF\xE3\x18\xC4", 4) << "audio/mpeg";
    QTest::newRow("WAV") << QByteArray("RIFF\x24\x08\x00\x00WAVEfmt ", 16) << "audio/wav";
    QTest::newRow("Ogg") << QByteArray("OggS\x00\x02\x00\x00", 8) << "audio/ogg";
}

void TestMimeSniffer::detects() {
    QFETCH(QByteArray, head);
    QFETCH(QString, expected);
    QCOMPARE(QString::fromStdString(sniffMimeType(bytes(head))), expected);
    // What follows the magic does not change the reading.
    QCOMPARE(QString::fromStdString(sniffMimeType(bytes(head + QByteArray(500, '\x00')))),
             expected);
}

void TestMimeSniffer::truncatedHeadsNeverClaimAnotherType() {
    QFETCH(QByteArray, head);
    QFETCH(QString, expected);
    for (qsizetype length = 0; length < head.size(); ++length) {
        const QString got = QString::fromStdString(sniffMimeType(bytes(head.left(length))));
        // A cut WebM still reads as its parent format, Matroska.
        const bool parent = expected == "video/webm" && got == "video/x-matroska";
        QVERIFY2(got == expected || got == QString::fromStdString(kUnknown) || parent,
                 qPrintable(QStringLiteral("%1 bytes read as %2").arg(length).arg(got)));
    }
}

void TestMimeSniffer::unknownAndShortInputs_data() {
    QTest::addColumn<QByteArray>("head");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("one 0xFF") << QByteArray("\xFF", 1);
    QTest::newRow("text") << QByteArray("hello, world\n");
    QTest::newRow("RIFF alone") << QByteArray("RIFF");
    QTest::newRow("RIFF of another kind") << QByteArray("RIFF\x24\x00\x00\x00XXXXdata", 16);
    QTest::newRow("short ftyp") << QByteArray("\x00\x00\x00\x14"
                                              "ftypqt ",
                                              11);
    QTest::newRow("MPEG layer II frame") << QByteArray("\xFF\xFD\x90\x64", 4);
    QTest::newRow("reserved MPEG version") << QByteArray("\xFF\xEB\x90\x64", 4);
    QTest::newRow("PDF without dash") << QByteArray("%PDF");
    QTest::newRow("GIF of no version") << QByteArray("GIF90a");
    QTest::newRow("NUL bytes") << QByteArray(64, '\x00');
}

void TestMimeSniffer::unknownAndShortInputs() {
    QFETCH(QByteArray, head);
    QCOMPARE(sniffMimeType(bytes(head)), kUnknown);
}

QTEST_GUILESS_MAIN(TestMimeSniffer)
#include "tst_mimesniffer.moc"
