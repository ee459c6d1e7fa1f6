#include "english_plurals.h"

namespace hoist {

QString EnglishPlurals::translate(const char*, const char* sourceText, const char*, int n) const {
    const QString text = QString::fromUtf8(sourceText);
    if (n < 0 || !text.contains(QLatin1String("(s)")))
        return {}; // not ours: Qt falls back to the source text
    QString plural = text;
    plural.replace(QLatin1String("(s)"), n == 1 ? QString() : QStringLiteral("s"));
    return plural;
}

} // namespace hoist
