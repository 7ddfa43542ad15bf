package voice

// Kiosk strings for the languages beyond the interface's catalogs. A
// kiosk speaks to visitors in the city's largest languages; the platform's
// own pages stay in de, en and fr.
var kioskCatalog = map[string]map[string]string{
	"de": {"name": "Deutsch", "start": "Idee abgeben", "choose": "Sprache wählen", "placeholder": "Ihre Idee für die Stadt von morgen …",
		"next": "Weiter", "theme": "Worum geht es?", "skip": "Ohne Thema", "send": "Absenden", "thanks": "Danke! Ihre Idee ist angekommen.",
		"queued": "Danke! Ihre Idee wird gesendet, sobald das Netz wieder da ist.", "code": "Ihr Code", "scan": "Scannen Sie den Code, um später zu sehen, was aus Ihrer Idee wurde.",
		"again": "Neue Idee", "short": "Bitte mindestens 10 Zeichen.", "offline": "Offline – Ideen werden gespeichert", "waiting": "warten auf Versand"},
	"en": {"name": "English", "start": "Give an idea", "choose": "Choose your language", "placeholder": "Your idea for the city of tomorrow …",
		"next": "Next", "theme": "What is it about?", "skip": "No theme", "send": "Send", "thanks": "Thank you! Your idea has arrived.",
		"queued": "Thank you! Your idea will be sent as soon as the network is back.", "code": "Your code", "scan": "Scan the code to see later what became of your idea.",
		"again": "New idea", "short": "Please write at least 10 characters.", "offline": "Offline – ideas are kept", "waiting": "waiting to be sent"},
	"fr": {"name": "Français", "start": "Donner une idée", "choose": "Choisissez votre langue", "placeholder": "Votre idée pour la ville de demain …",
		"next": "Suivant", "theme": "De quoi s’agit-il ?", "skip": "Sans thème", "send": "Envoyer", "thanks": "Merci ! Votre idée est arrivée.",
		"queued": "Merci ! Votre idée sera envoyée dès le retour du réseau.", "code": "Votre code", "scan": "Scannez le code pour suivre plus tard votre idée.",
		"again": "Nouvelle idée", "short": "Au moins 10 caractères, s’il vous plaît.", "offline": "Hors ligne – les idées sont gardées", "waiting": "en attente d’envoi"},
	"tr": {"name": "Türkçe", "start": "Fikir ver", "choose": "Dilinizi seçin", "placeholder": "Yarının şehri için fikriniz …",
		"next": "İleri", "theme": "Konu nedir?", "skip": "Konusuz", "send": "Gönder", "thanks": "Teşekkürler! Fikriniz ulaştı.",
		"queued": "Teşekkürler! Fikriniz ağ geri gelince gönderilecek.", "code": "Kodunuz", "scan": "Fikrinize ne olduğunu görmek için kodu tarayın.",
		"again": "Yeni fikir", "short": "Lütfen en az 10 karakter yazın.", "offline": "Çevrimdışı – fikirler saklanıyor", "waiting": "gönderilmeyi bekliyor"},
	"ar": {"name": "العربية", "start": "شارك بفكرة", "choose": "اختر لغتك", "placeholder": "فكرتك لمدينة الغد …",
		"next": "التالي", "theme": "ما الموضوع؟", "skip": "بدون موضوع", "send": "إرسال", "thanks": "شكرًا! وصلت فكرتك.",
		"queued": "شكرًا! سترسل فكرتك عند عودة الشبكة.", "code": "رمزك", "scan": "امسح الرمز لتعرف لاحقًا ما حدث لفكرتك.",
		"again": "فكرة جديدة", "short": "يرجى كتابة 10 أحرف على الأقل.", "offline": "غير متصل – الأفكار محفوظة", "waiting": "في انتظار الإرسال"},
	"pl": {"name": "Polski", "start": "Podziel się pomysłem", "choose": "Wybierz język", "placeholder": "Twój pomysł na miasto jutra …",
		"next": "Dalej", "theme": "Czego dotyczy?", "skip": "Bez tematu", "send": "Wyślij", "thanks": "Dziękujemy! Twój pomysł dotarł.",
		"queued": "Dziękujemy! Pomysł zostanie wysłany, gdy sieć wróci.", "code": "Twój kod", "scan": "Zeskanuj kod, aby później sprawdzić, co stało się z pomysłem.",
		"again": "Nowy pomysł", "short": "Napisz co najmniej 10 znaków.", "offline": "Offline – pomysły są zachowane", "waiting": "czeka na wysłanie"},
	"el": {"name": "Ελληνικά", "start": "Δώστε μια ιδέα", "choose": "Επιλέξτε γλώσσα", "placeholder": "Η ιδέα σας για την πόλη του αύριο …",
		"next": "Επόμενο", "theme": "Τι αφορά;", "skip": "Χωρίς θέμα", "send": "Αποστολή", "thanks": "Ευχαριστούμε! Η ιδέα σας έφτασε.",
		"queued": "Ευχαριστούμε! Η ιδέα σας θα σταλεί μόλις επιστρέψει το δίκτυο.", "code": "Ο κωδικός σας", "scan": "Σαρώστε τον κωδικό για να δείτε αργότερα τι έγινε με την ιδέα σας.",
		"again": "Νέα ιδέα", "short": "Γράψτε τουλάχιστον 10 χαρακτήρες.", "offline": "Εκτός σύνδεσης – οι ιδέες φυλάσσονται", "waiting": "σε αναμονή αποστολής"},
	"ru": {"name": "Русский", "start": "Предложить идею", "choose": "Выберите язык", "placeholder": "Ваша идея для города будущего …",
		"next": "Далее", "theme": "О чём идея?", "skip": "Без темы", "send": "Отправить", "thanks": "Спасибо! Ваша идея получена.",
		"queued": "Спасибо! Идея будет отправлена, когда появится сеть.", "code": "Ваш код", "scan": "Отсканируйте код, чтобы позже узнать судьбу идеи.",
		"again": "Новая идея", "short": "Напишите не менее 10 символов.", "offline": "Нет сети – идеи сохраняются", "waiting": "ожидают отправки"},
	"uk": {"name": "Українська", "start": "Запропонувати ідею", "choose": "Оберіть мову", "placeholder": "Ваша ідея для міста майбутнього …",
		"next": "Далі", "theme": "Про що ідея?", "skip": "Без теми", "send": "Надіслати", "thanks": "Дякуємо! Вашу ідею отримано.",
		"queued": "Дякуємо! Ідею буде надіслано, щойно з’явиться мережа.", "code": "Ваш код", "scan": "Відскануйте код, щоб пізніше дізнатися, що сталося з ідеєю.",
		"again": "Нова ідея", "short": "Напишіть щонайменше 10 символів.", "offline": "Офлайн – ідеї зберігаються", "waiting": "очікують надсилання"},
	"zh": {"name": "中文", "start": "提出想法", "choose": "选择语言", "placeholder": "您对未来城市的想法……",
		"next": "下一步", "theme": "关于什么？", "skip": "不选主题", "send": "发送", "thanks": "谢谢！您的想法已收到。",
		"queued": "谢谢！网络恢复后将发送您的想法。", "code": "您的代码", "scan": "扫描二维码，稍后查看您的想法的结果。",
		"again": "新的想法", "short": "请至少写10个字符。", "offline": "离线——想法已保存", "waiting": "等待发送"},
	"ja": {"name": "日本語", "start": "アイデアを出す", "choose": "言語を選んでください", "placeholder": "未来の街へのあなたのアイデア…",
		"next": "次へ", "theme": "テーマは？", "skip": "テーマなし", "send": "送信", "thanks": "ありがとうございます！アイデアが届きました。",
		"queued": "ありがとうございます！ネットワークが戻り次第送信します。", "code": "あなたのコード", "scan": "コードを読み取ると、後でアイデアの行方を確認できます。",
		"again": "新しいアイデア", "short": "10文字以上書いてください。", "offline": "オフライン – アイデアは保存されます", "waiting": "送信待ち"},
}

func kioskStrings(lang string) map[string]string {
	out := map[string]string{}
	for k, v := range kioskCatalog[lang] {
		out[k] = v
	}
	return out
}
