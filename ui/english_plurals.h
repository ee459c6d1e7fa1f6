#pragma once

#include <QTranslator>

namespace hoist {

// English plural forms for the untranslated source strings: "%n file(s)" reads
// "1 file" and "3 files". Any real translation installed after it takes
// precedence; without it Qt would print the "(s)" as it is.
class EnglishPlurals final : public QTranslator {
    Q_OBJECT
  public:
    using QTranslator::QTranslator;

    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* sourceText,
                      const char* disambiguation = nullptr, int n = -1) const override;
};

} // namespace hoist
