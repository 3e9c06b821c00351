/**
 * State / prefecture values to ISO 3166-2 codes before writing (for Salesforce's state and country
 * picklists, as HubSpot's Salesforce connector writes them). No library in the allowed set carries
 * subdivision names (Intl names countries only), so the two tables this package's users need are
 * here: Japan's 47 prefectures (English and Japanese, with and without 都/府/県) and the United
 * States' 50 states and DC (names and postal codes). Other countries' values are left as they are.
 */
const JAPAN: Array<[string, string]> = [
	['Hokkaido', '北海道'],
	['Aomori', '青森県'],
	['Iwate', '岩手県'],
	['Miyagi', '宮城県'],
	['Akita', '秋田県'],
	['Yamagata', '山形県'],
	['Fukushima', '福島県'],
	['Ibaraki', '茨城県'],
	['Tochigi', '栃木県'],
	['Gunma', '群馬県'],
	['Saitama', '埼玉県'],
	['Chiba', '千葉県'],
	['Tokyo', '東京都'],
	['Kanagawa', '神奈川県'],
	['Niigata', '新潟県'],
	['Toyama', '富山県'],
	['Ishikawa', '石川県'],
	['Fukui', '福井県'],
	['Yamanashi', '山梨県'],
	['Nagano', '長野県'],
	['Gifu', '岐阜県'],
	['Shizuoka', '静岡県'],
	['Aichi', '愛知県'],
	['Mie', '三重県'],
	['Shiga', '滋賀県'],
	['Kyoto', '京都府'],
	['Osaka', '大阪府'],
	['Hyogo', '兵庫県'],
	['Nara', '奈良県'],
	['Wakayama', '和歌山県'],
	['Tottori', '鳥取県'],
	['Shimane', '島根県'],
	['Okayama', '岡山県'],
	['Hiroshima', '広島県'],
	['Yamaguchi', '山口県'],
	['Tokushima', '徳島県'],
	['Kagawa', '香川県'],
	['Ehime', '愛媛県'],
	['Kochi', '高知県'],
	['Fukuoka', '福岡県'],
	['Saga', '佐賀県'],
	['Nagasaki', '長崎県'],
	['Kumamoto', '熊本県'],
	['Oita', '大分県'],
	['Miyazaki', '宮崎県'],
	['Kagoshima', '鹿児島県'],
	['Okinawa', '沖縄県'],
];

const UNITED_STATES: Array<[string, string]> = [
	['AL', 'Alabama'],
	['AK', 'Alaska'],
	['AZ', 'Arizona'],
	['AR', 'Arkansas'],
	['CA', 'California'],
	['CO', 'Colorado'],
	['CT', 'Connecticut'],
	['DE', 'Delaware'],
	['FL', 'Florida'],
	['GA', 'Georgia'],
	['HI', 'Hawaii'],
	['ID', 'Idaho'],
	['IL', 'Illinois'],
	['IN', 'Indiana'],
	['IA', 'Iowa'],
	['KS', 'Kansas'],
	['KY', 'Kentucky'],
	['LA', 'Louisiana'],
	['ME', 'Maine'],
	['MD', 'Maryland'],
	['MA', 'Massachusetts'],
	['MI', 'Michigan'],
	['MN', 'Minnesota'],
	['MS', 'Mississippi'],
	['MO', 'Missouri'],
	['MT', 'Montana'],
	['NE', 'Nebraska'],
	['NV', 'Nevada'],
	['NH', 'New Hampshire'],
	['NJ', 'New Jersey'],
	['NM', 'New Mexico'],
	['NY', 'New York'],
	['NC', 'North Carolina'],
	['ND', 'North Dakota'],
	['OH', 'Ohio'],
	['OK', 'Oklahoma'],
	['OR', 'Oregon'],
	['PA', 'Pennsylvania'],
	['RI', 'Rhode Island'],
	['SC', 'South Carolina'],
	['SD', 'South Dakota'],
	['TN', 'Tennessee'],
	['TX', 'Texas'],
	['UT', 'Utah'],
	['VT', 'Vermont'],
	['VA', 'Virginia'],
	['WA', 'Washington'],
	['WV', 'West Virginia'],
	['WI', 'Wisconsin'],
	['WY', 'Wyoming'],
	['DC', 'District of Columbia'],
];

const fold = (text: string) => text.normalize('NFKC').trim().toLowerCase().replace(/\s+/g, ' ');

let byName: Map<string, string> | undefined;

function subdivisionIndex(): Map<string, string> {
	if (byName) return byName;
	byName = new Map();
	for (const [index, [english, japanese]] of JAPAN.entries()) {
		const code = `JP-${String(index + 1).padStart(2, '0')}`;
		// 東京都 / 東京, Tokyo / Tokyo-to / Tokyo Prefecture; the code itself, and "13".
		for (const name of [
			english,
			`${english} prefecture`,
			`${english}-ken`,
			`${english}-fu`,
			`${english}-to`,
			japanese,
			japanese.replace(/[都府県]$/, ''),
			code,
		])
			byName.set(fold(name), code);
	}
	for (const [postal, name] of UNITED_STATES)
		for (const alias of [postal, name, `US-${postal}`]) byName.set(fold(alias), `US-${postal}`);
	return byName;
}

/**
 * The ISO 3166-2 code (JP-13, US-CA) of a Japanese prefecture or US state, by name (English or
 * Japanese) or code; `country` (alpha-2) resolves bare numbers ("13" in JP). Undefined: not known.
 */
export function stateCode(value: string, country?: string): string | undefined {
	const folded = fold(value);
	if (!folded) return undefined;
	if (country === 'JP' && /^\d{1,2}$/.test(folded) && Number(folded) >= 1 && Number(folded) <= 47)
		return `JP-${folded.padStart(2, '0')}`;
	return subdivisionIndex().get(folded);
}
