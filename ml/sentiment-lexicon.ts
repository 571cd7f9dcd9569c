/**
 * Sentiment lexicon as data: valence per term in [-3, 3], per language, plus the function words
 * the scorer needs (negators, intensifiers, contrast words). Entries are "term=valence" separated
 * by "|" so the lists stay compact and reviewable. Matching is longest-first, so multi-word or
 * multi-character entries ("too expensive", "不错", "문제 없") win over their parts, and
 * valence-0 entries exist only to block a misleading shorter match ("不好意思" is an apology, not
 * "不好"; "贵公司" is "your company", not "expensive").
 * Latin-script terms must match whole words; a trailing "*" makes a term a prefix (refund*).
 * Korean and Chinese terms match as substrings (no word boundaries), usually as stems (좋아, 감사).
 */

export type Language = "en" | "pt" | "ko" | "zh";

export const LEXICON_SOURCE: Record<Language, string> = {
  en: [
    // positive
    "thanks=2|thank you=2|thank=2|thx=2|thankful=2|grateful=2|appreciate*=2|cheers=1.5",
    "great=2|good=1.5|excellent=2.5|amazing=2.5|awesome=2.5|love=2.5|loved=2.5|lovely=2|perfect=2.5",
    "wonderful=2.5|fantastic=2.5|happy=2|glad=1.5|satisfied=2|pleased=2|nice=1.5|helpful=2",
    "fast=1|quick=1|quickly=1|easy=1|best=2|recommend*=2|beautiful=2|delicious=2|fresh=1",
    "friendly=1.5|kind=1.5|polite=1.5|smooth=1|works=1|worked=1|fixed=1.5|solved=2|resolved=2",
    "on time=1.5|cool=1|enjoy*=2|favorite=2|favourite=2|impressed=2|brilliant=2.5|superb=2.5",
    "outstanding=2.5|reliable=1.5|affordable=1.5|worth it=1.5|ok=0.5|okay=0.5|fine=0.5",
    "well done=2|good job=2|comfortable=1.5|gorgeous=2|pleasure=1.5|delighted=2.5|congrats=1.5",
    "exceeded=1.5|glad to=1.5|fair=1|welcome=1|helped=1.5|quality=0.5|yay=2|wow=1.5|like=1",
    "liked=1.5|fabulous=2.5|terrific=2.5|pleasant=1.5|responsive=1.5|efficient=1.5|accurate=1",
    // negative
    "too expensive=-2.5|expensive=-1.5|overpriced=-2|pricey=-1.5|complaint=-2|complain*=-2",
    "refund*=-1.5|broken=-2|broke=-1.5|damaged=-2|defective=-2.5|late=-1.5|delay*=-1.5",
    "slow=-1.5|bad=-2|terrible=-3|awful=-3|horrible=-3|worst=-3|poor=-2|disappoint*=-2",
    "angry=-2.5|annoyed=-2|annoying=-2|frustrat*=-2|unhappy=-2|sad=-1.5|upset=-2|wrong=-1.5",
    "missing=-1.5|lost=-1.5|never arrived=-2.5|not received=-2|didn't receive=-2|haven't received=-2",
    "cancel*=-1.5|scam=-3|fraud=-3|rude=-2.5|useless=-2.5|waste=-2|problem=-1.5|problems=-1.5",
    "issue=-1|issues=-1|error=-1.5|fail*=-2|faulty=-2|dirty=-2|stale=-1.5|leak*=-1.5|cracked=-1.5",
    "fake=-2.5|hate=-3|ridiculous=-2|unacceptable=-2.5|disgust*=-3|never again=-2.5|cheated=-3",
    "ignored=-2|no response=-2|no reply=-2|still waiting=-2|waiting=-1|worse=-2|sucks=-2.5",
    "mess=-1.5|unfortunately=-1|confused=-1|confusing=-1.5|doesn't work=-2.5|not working=-2.5",
    "stopped working=-2.5|charged twice=-2.5|overcharged=-2.5|wrong size=-2|wrong item=-2",
    "unsubscribe=-1.5|spam=-2|rip off=-3|ripoff=-3|return it=-1|dissatisfied=-2.5|nightmare=-3",
    "pathetic=-3|incompetent=-2.5|not happy=-2|regret*=-2|sorry=-0.5",
  ].join("|"),
  pt: [
    // positive
    "obrigado=2|obrigada=2|valeu=2|agradeço=2|agradeco=2|agradecemos=2|grato=2|grata=2",
    "ótimo=2|otimo=2|ótima=2|otima=2|excelente=2.5|perfeito=2.5|perfeita=2.5|maravilhoso=2.5",
    "maravilhosa=2.5|adorei=2.5|amei=2.5|amo=2.5|gostei=2|bom=1.5|boa=1.5|legal=1.5|top=1.5",
    "incrível=2.5|incrivel=2.5|lindo=2|linda=2|feliz=2|satisfeito=2|satisfeita=2|recomendo=2",
    "rápido=1|rapido=1|rápida=1|rapida=1|eficiente=1.5|atencioso=1.5|atenciosa=1.5|gentil=1.5",
    "funcionou=1.5|funciona=1|resolvido=2|resolvida=2|resolveu=2|no prazo=1.5|show=1.5",
    "sensacional=2.5|parabéns=2|parabens=2|melhor=2|massa=1.5|beleza=1|tranquilo=1|certo=0.5",
    "delicioso=2|deliciosa=2|fresco=1|confiável=1.5|confiavel=1.5|vale a pena=2|excepcional=2.5",
    "contente=2|encantado=2|encantada=2|adorável=2|agradável=1.5|agradavel=1.5|fantástico=2.5",
    "fantastico=2.5|bacana=1.5|gosto=1.5|curti=2|bem feito=2|educado=1.5|educada=1.5|prático=1.5",
    "pratico=1.5|barato=0.5|em dia=1|cheguei bem=1|chegou certinho=2|certinho=1.5",
    // negative
    "caro=-1.5|muito caro=-2.5|reclamação=-2|reclamacao=-2|reclamar=-2|reclamo=-2|reembolso=-1.5",
    "estorno=-1.5|devolução=-1|devolucao=-1|devolver=-1|quebrado=-2|quebrada=-2|quebrou=-2",
    "danificado=-2|danificada=-2|defeito=-2.5|defeituoso=-2.5|atrasado=-1.5|atrasada=-1.5",
    "atraso=-1.5|atrasou=-1.5|demorou=-1.5|demora=-1.5|lento=-1.5|lenta=-1.5|ruim=-2",
    "péssimo=-3|pessimo=-3|péssima=-3|pessima=-3|horrível=-3|horrivel=-3|terrível=-3|terrivel=-3",
    "pior=-2.5|decepcionado=-2|decepcionada=-2|decepção=-2|decepcao=-2|irritado=-2|irritada=-2",
    "chateado=-2|chateada=-2|triste=-1.5|insatisfeito=-2.5|insatisfeita=-2.5|errado=-1.5",
    "errada=-1.5|faltando=-1.5|perdido=-1.5|cancelar=-1.5|cancelamento=-1.5|golpe=-3|fraude=-3",
    "mal educado=-2.5|grosso=-2|grossa=-2|inútil=-2.5|inutil=-2.5|problema=-1.5|problemas=-1.5",
    "erro=-1.5|falha=-2|sujo=-2|suja=-2|vencido=-2|falso=-2.5|odeio=-3|absurdo=-2.5",
    "inaceitável=-2.5|inaceitavel=-2.5|nojo=-3|nunca mais=-2.5|enganado=-3|ignorado=-2",
    "sem resposta=-2|ainda esperando=-2|esperando=-1|não chegou=-2.5|nao chegou=-2.5",
    "não funciona=-2.5|nao funciona=-2.5|parou de funcionar=-2.5|cobrado duas vezes=-2.5",
    "cobrança indevida=-2.5|spam=-2|descadastrar=-1.5|lamentável=-2|lamentavel=-2|vergonha=-2",
    "desrespeito=-2.5|enrolação=-2|enrolacao=-2|descaso=-2.5|mentira=-2.5|furada=-2",
  ].join("|"),
  ko: [
    // positive
    "감사=2|고마워=2|고맙=2|좋아=1.5|좋네=1.5|좋습니다=1.5|좋은=1.5|좋았=1.5|좋다=1.5|좋지=1.5",
    "좋아하=2|최고=2.5|훌륭=2.5|멋지=2|멋있=2|만족=2|행복=2|기뻐=2|기쁘=2|사랑=2.5|완벽=2.5",
    "친절=2|빠르=1|빠른=1|추천=2|예쁘=2|예뻐=2|이쁘=2|맛있=2|신선=1|편하=1.5|편리=1.5",
    "깔끔=1.5|대박=2|짱=2|굿=1.5|감동=2.5|든든=1.5|괜찮=1|해결됐=2|해결되었=2|잘 받았=2",
    "잘 쓰고=2|유용=1.5|도움=1.5|수고=1.5|축하=2|반갑=1.5|즐겁=2|재밌=2|재미있=2|최상=2.5",
    "저렴=1.5|합리적=1.5|꼼꼼=1.5|신속=1.5|정확=1|안심=1.5|고급=1.5|부드럽=1|인상적=2",
    "풍성=1.5|기대=1|재구매=2|또 구매=2|다시 살=2|마음에 들=2|맘에 들=2|최애=2.5|훌륭하=2.5",
    "빨리 왔=2|빨리 와서=2|잘 도착=2|친절하=2|센스=1.5|믿음=1.5|좋아졌=1.5|기분 좋=2",
    // negative
    "비싸=-2|비쌉=-2|비싼=-1.5|불만=-2.5|컴플레인=-2|항의=-2|환불=-2|반품=-1.5|교환=-1",
    "고장=-2|망가=-2|깨졌=-2|깨진=-2|파손=-2|불량=-2.5|하자=-2|늦=-1.5|지연=-1.5|느리=-1.5",
    "느려=-1.5|안 와=-2|안 왔=-2|안 옴=-2|아직도=-1.5|나쁘=-2|나빠=-2|별로=-1.5|최악=-3",
    "실망=-2.5|화나=-2.5|화가=-2.5|짜증=-2.5|답답=-2|불편=-2|불친절=-2.5|문제=-1.5|오류=-1.5",
    "에러=-1.5|실패=-2|잘못=-1.5|틀렸=-1.5|누락=-2|분실=-2|취소=-1.5|사기=-3|가짜=-2.5",
    "엉망=-2.5|형편없=-3|더럽=-2|냄새=-1|상했=-2.5|썩=-2.5|싫=-2|후회=-2|황당=-2.5|어이없=-2.5",
    "무시=-2|답장 없=-2|연락 없=-2|연락이 없=-2|기다리=-1|억울=-2|속상=-2|슬프=-1.5|아쉽=-1",
    "아쉬=-1|비추=-2.5|쓰레기=-3|손해=-2|과대=-1.5|수신거부=-2|스팸=-2|귀찮=-1.5|작동 안=-2.5",
    "안 돼=-1.5|안돼=-1.5|안 되=-1.5|안되=-1.5|부족=-1|무례=-2.5|엉터리=-2.5|기분 나쁘=-2.5",
    "맛없=-2|재미없=-2|못 받았=-2|못받았=-2|배송 안=-2|아직 안=-1.5|거지 같=-3|열받=-2.5",
    // neutral blockers: common words that contain a sentiment stem
    "안녕=0|안내=0|문제집=0|늦가을=0|안좋=-2|안 좋=-2",
  ].join("|"),
  zh: [
    // positive (Simplified and Traditional forms)
    "谢谢=2|謝謝=2|感谢=2|感謝=2|多谢=2|多謝=2|谢=1.5|謝=1.5|好=1|好评=2|好評=2|满意=2|滿意=2",
    "喜欢=2|喜歡=2|爱=2|愛=2|棒=2|赞=2|讚=2|優秀=2.5|优秀=2.5|完美=2.5|不错=1.5|不錯=1.5",
    "厉害=2|厲害=2|开心=2|開心=2|高兴=2|高興=2|快乐=2|快樂=2|推荐=2|推薦=2|漂亮=2|美味=2",
    "好吃=2|新鲜=1.5|新鮮=1.5|方便=1.5|速度快=1.5|发货快=1.5|發貨快=1.5|及时=1.5|及時=1.5",
    "准时=1.5|準時=1.5|贴心=2|貼心=2|热情=1.5|熱情=1.5|耐心=1.5|专业=1.5|專業=1.5|划算=1.5",
    "实惠=1.5|實惠=1.5|便宜=1|值得=1.5|超值=2|精美=2|舒服=1.5|周到=1.5|感动=2|感動=2",
    "辛苦了=1.5|没问题=1.5|沒問題=1.5|已解决=2|已解決=2|解决了=2|解決了=2|收到了=1|回购=2",
    "回購=2|给力=2|給力=2|惊喜=2|驚喜=2|放心=1.5|靠谱=2|靠譜=2|物美价廉=2.5|物美價廉=2.5",
    "五星=2|好用=2|好看=2|顺利=1.5|順利=1.5|感恩=2|恭喜=1.5|优质=2|優質=2|满分=2.5|滿分=2.5",
    // negative
    "太贵=-2.5|太貴=-2.5|贵=-1.5|貴=-1.5|好贵=-2|好貴=-2|投诉=-2.5|投訴=-2.5|抱怨=-2|退款=-2",
    "退货=-1.5|退貨=-1.5|退钱=-2|退錢=-2|坏了=-2|壞了=-2|坏=-1.5|壞=-1.5|破损=-2|破損=-2",
    "损坏=-2|損壞=-2|质量差=-2.5|質量差=-2.5|品質差=-2.5|差=-1.5|迟到=-1.5|遲到=-1.5",
    "延迟=-1.5|延遲=-1.5|太慢=-2|慢=-1.5|还没到=-2|還沒到=-2|没收到=-2|沒收到=-2|不好=-2",
    "糟糕=-2.5|糟=-2|最差=-3|垃圾=-3|失望=-2.5|生气=-2.5|生氣=-2.5|愤怒=-3|憤怒=-3|烦=-2",
    "煩=-2|不满=-2.5|不滿=-2.5|不满意=-2.5|不滿意=-2.5|问题=-1.5|問題=-1.5|错误=-1.5",
    "錯誤=-1.5|错=-1|錯=-1|漏发=-2|漏發=-2|少了=-1.5|丢失=-2|丟失=-2|取消=-1.5|骗子=-3",
    "騙子=-3|骗=-2.5|騙=-2.5|假货=-3|假貨=-3|脏=-2|髒=-2|臭=-2|过期=-2|過期=-2|讨厌=-2.5",
    "討厭=-2.5|后悔=-2|後悔=-2|无语=-2|無語=-2|坑=-2|敷衍=-2|态度差=-2.5|態度差=-2.5",
    "没人回复=-2|沒人回覆=-2|不回复=-2|不回覆=-2|一直等=-1.5|难用=-2|難用=-2|难吃=-2.5",
    "難吃=-2.5|不能用=-2.5|用不了=-2.5|故障=-2|瑕疵=-2|次品=-2.5|欺骗=-3|欺騙=-3|差评=-2.5",
    "差評=-2.5|恶心=-2.5|噁心=-2.5|离谱=-2.5|離譜=-2.5|不值=-2|浪费=-2|浪費=-2|退订=-1.5",
    "退訂=-1.5|骚扰=-2.5|騷擾=-2.5|可惜=-1|遗憾=-1.5|遺憾=-1.5|伤心=-2|傷心=-2|麻烦=-0.5",
    "麻煩=-0.5",
    // neutral blockers
    "不好意思=0|贵公司=0|貴公司=0|贵司=0|貴司=0|好像=0|好多=0|好久=0|差不多=0|好的=0.5",
    "请问=0|請問=0|错过=0|錯過=0",
  ].join("|"),
};

/** Words that flip the valence of a following term (and, for Korean, endings after it). */
export const NEGATORS: Record<Language, string[]> = {
  en: [
    "not",
    "no",
    "never",
    "don't",
    "dont",
    "didn't",
    "didnt",
    "isn't",
    "isnt",
    "wasn't",
    "wasnt",
    "aren't",
    "arent",
    "can't",
    "cant",
    "cannot",
    "won't",
    "wont",
    "doesn't",
    "doesnt",
    "haven't",
    "havent",
    "hasn't",
    "hasnt",
    "nothing",
    "nor",
    "without",
    "hardly",
  ],
  pt: ["não", "nao", "nunca", "nem", "jamais", "sem", "nada"],
  ko: ["안 ", "못 "],
  zh: ["不", "没", "沒", "别", "別", "无", "無", "未", "非", "不太", "没有", "沒有"],
};

/** Korean negation after the predicate stem: 좋지 않아요, 만족하지 못해요, 문제 없어요. */
export const KOREAN_POST_NEGATORS = ["지 않", "지않", "지 못", "지못", "지 마", "않", "못하", "못했", "못 해", "없"];

export const INTENSIFIERS: Record<Language, string[]> = {
  en: ["very", "really", "so", "extremely", "super", "totally", "absolutely", "incredibly", "too"],
  pt: ["muito", "muita", "demais", "super", "bem", "extremamente", "tão", "tao", "bastante"],
  ko: ["너무", "정말", "진짜", "완전", "매우", "아주", "엄청", "되게", "넘"],
  zh: ["很", "非常", "太", "超", "特别", "特別", "真", "真的", "十分", "极", "極"],
};

/** Contrast words: what follows them counts more than what precedes (VADER's "but" rule). */
export const CONTRAST: Record<Language, string[]> = {
  en: ["but", "however", "although"],
  pt: ["mas", "porém", "porem", "entretanto"],
  ko: ["하지만", "그런데", "근데", "그러나"],
  zh: ["但是", "但", "可是", "不过", "不過", "然而"],
};

/** Emoji and emoticons carry sentiment in chat more than words do. */
export const EMOJI: Record<string, number> = {
  "😀": 2,
  "😃": 2,
  "😄": 2,
  "😁": 2,
  "😊": 2,
  "🙂": 1,
  "😍": 2.5,
  "🥰": 2.5,
  "😘": 2,
  "👍": 2,
  "👏": 2,
  "🙏": 1.5,
  "❤": 2.5,
  "💕": 2,
  "💖": 2.5,
  "🎉": 2,
  "✨": 1,
  "💯": 2,
  "👌": 1.5,
  "🤩": 2.5,
  "😂": 1,
  "🤣": 1,
  "😉": 1,
  ":)": 1.5,
  ":-)": 1.5,
  ":d": 2,
  "<3": 2,
  "😡": -3,
  "😠": -2.5,
  "🤬": -3,
  "😢": -2,
  "😭": -2.5,
  "😞": -2,
  "😔": -1.5,
  "👎": -2.5,
  "💔": -2.5,
  "😤": -2,
  "🙄": -1.5,
  "😒": -1.5,
  "😩": -2,
  "😫": -2,
  "😖": -2,
  "🤮": -3,
  "😑": -1,
  "😕": -1,
  ":(": -1.5,
  ":-(": -1.5,
  ":/": -1,
};
