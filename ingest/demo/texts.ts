import type { Lang } from "./markets.ts";
import type { Rng } from "./rng.ts";

/**
 * Multilingual message templates carrying the seed's keywords (R15, R23): price, discount, quote,
 * complaint, size, shipping / where is my parcel, store address, talk to an agent, too expensive,
 * I want to buy <product>, thanks. `{p}` is a product, `{s}` a size, `{o}` an order number.
 */
export type Intent =
  | "greet"
  | "inquiry"
  | "price"
  | "discount"
  | "quote"
  | "complaint"
  | "size"
  | "shipping"
  | "store"
  | "agent"
  | "expensive"
  | "buy"
  | "thanks"
  | "negative"
  | "smalltalk";

type Table = Record<Intent, Record<Lang, readonly string[]>>;

export const INBOUND: Table = {
  greet: {
    en: ["Hi", "Hello!", "Hi there, are you open today?", "Good morning", "hello 👋"],
    "zh-Hant": ["你好", "哈囉", "你好，請問今日有營業嗎？", "早晨", "您好 👋"],
    "zh-Hans": ["你好", "您好", "你好，请问今天营业吗？", "在吗？"],
    ko: ["안녕하세요", "안녕하세요! 문의 드려요", "저기요 혹시 오늘 영업하시나요?", "안녕하세요 👋"],
    pt: ["Oi", "Olá!", "Bom dia, vocês estão abertos hoje?", "Oi, tudo bem? 👋"],
  },
  inquiry: {
    en: [
      "Do you have the {p} in stock?",
      "Can you tell me more about the {p}?",
      "What colours does the {p} come in?",
      "Is the {p} the new model?",
      "Does the {p} come with warranty?",
    ],
    "zh-Hant": ["請問{p}有冇貨？", "想了解多啲{p}嘅資料", "{p}有咩顏色？", "{p}有冇保養？", "請問{p}係咪新款？"],
    "zh-Hans": ["请问{p}有货吗？", "想了解一下{p}的详细信息", "{p}有什么颜色？", "{p}有保修吗？"],
    ko: ["{p} 재고 있나요?", "{p} 자세한 정보 알려주세요", "{p} 색상 뭐 있어요?", "{p} 보증 기간이 어떻게 되나요?"],
    pt: [
      "Vocês têm o {p} em estoque?",
      "Pode me passar mais detalhes do {p}?",
      "Quais cores do {p} vocês têm?",
      "O {p} tem garantia?",
    ],
  },
  price: {
    en: [
      "How much is the {p}?",
      "What's the price of {p}?",
      "price for {p} pls",
      "How much for the {p} 256GB?",
      "price?",
    ],
    "zh-Hant": ["{p}幾多錢？", "請問{p}嘅價錢係幾多？", "{p}價錢？", "想問{p}而家賣幾錢"],
    "zh-Hans": ["{p}多少钱？", "请问{p}的价格是多少？", "{p}价格？"],
    ko: ["{p} 가격이 얼마예요?", "{p} 얼마인가요?", "가격 문의드려요 {p}"],
    pt: ["Quanto custa o {p}?", "Qual o preço do {p}?", "preço do {p}?"],
  },
  discount: {
    en: [
      "Any discount on the {p}?",
      "Is there a discount if I buy two?",
      "Do you have a discount code?",
      "any discount for members? 🙏",
      "Can I get a discount?",
    ],
    "zh-Hant": ["{p}有冇折扣？", "買兩件有冇折扣？", "有冇折扣碼？", "會員有冇折扣 🙏", "可唔可以俾個折扣？"],
    "zh-Hans": ["{p}有折扣吗？", "买两件有折扣吗？", "有优惠码吗？", "能打个折吗？"],
    ko: ["{p} 할인 있나요?", "두 개 사면 할인 돼요?", "할인 코드 있어요?", "회원 할인 되나요? 🙏"],
    pt: [
      "Tem desconto no {p}?",
      "Tem algum desconto se eu levar dois?",
      "Vocês têm cupom de desconto?",
      "Consegue um desconto? 🙏",
    ],
  },
  quote: {
    en: [
      "Can you send me a quote for 10 units of {p}?",
      "Please quote for {p} x5, company purchase",
      "Need a quotation for {p}",
    ],
    "zh-Hant": ["可唔可以報價{p} 10部？", "公司採購，請報價{p}五件", "想要{p}嘅報價單"],
    "zh-Hans": ["能给我报个价吗？{p} 10台", "公司采购，请报价{p}", "需要{p}的报价单"],
    ko: ["{p} 10개 견적 부탁드립니다", "회사 구매인데 {p} 견적서 받을 수 있을까요?"],
    pt: ["Pode me mandar um orçamento de 10 unidades do {p}?", "Preciso de uma cotação do {p}"],
  },
  complaint: {
    en: [
      "I want to make a complaint, the {p} I received is damaged",
      "This is unacceptable, my order arrived broken 😡",
      "Complaint: wrong item delivered",
      "The {p} stopped working after 2 days, I want a refund",
    ],
    "zh-Hant": [
      "我要投訴，收到嘅{p}係爛嘅",
      "太離譜，訂單送到已經壞咗 😡",
      "投訴：送錯貨",
      "{p}用咗兩日就壞，我要退款",
    ],
    "zh-Hans": [
      "我要投诉，收到的{p}是坏的",
      "太过分了，订单到了就是坏的 😡",
      "投诉：发错货了",
      "{p}用了两天就坏了，我要退款",
    ],
    ko: [
      "불만 접수하고 싶어요, 받은 {p}이 파손됐어요",
      "주문한 게 깨져서 왔어요 😡 이건 아니죠",
      "불만: 다른 상품이 배송됐어요",
      "{p} 이틀 만에 고장났어요 환불해주세요",
    ],
    pt: [
      "Quero fazer uma reclamação, o {p} chegou danificado",
      "Isso é inaceitável, meu pedido chegou quebrado 😡",
      "Reclamação: produto errado",
    ],
  },
  size: {
    en: [
      "What size should I get for the {p}? I'm usually {s}",
      "Does the {p} run small? size {s}?",
      "Do you have size {s} in {p}?",
      "size chart for {p}?",
    ],
    "zh-Hant": ["{p}我平時著{s}碼，應該揀咩尺碼？", "{p}有冇{s}碼？", "{p}尺碼偏細嗎？", "可唔可以俾{p}嘅尺碼表？"],
    "zh-Hans": ["{p}我平时穿{s}码，应该选什么尺码？", "{p}有{s}码吗？", "{p}尺码偏小吗？"],
    ko: ["{p} 사이즈 {s} 있나요?", "{p} 평소 {s} 입는데 어떤 사이즈가 맞을까요?", "{p} 사이즈가 작게 나오나요?"],
    pt: ["Qual tamanho do {p} eu devo pegar? Uso {s}", "Tem o {p} no tamanho {s}?", "O {p} veste pequeno?"],
  },
  shipping: {
    en: [
      "Where is my parcel? Order {o}",
      "When will my order ship?",
      "My parcel still hasn't arrived",
      "Any update on shipping for {o}?",
      "where is my parcel??",
    ],
    "zh-Hant": ["我嘅包裹去咗邊？訂單{o}", "幾時會發貨？", "包裹仲未到", "訂單{o}送貨有冇更新？"],
    "zh-Hans": ["我的包裹到哪里了？订单{o}", "什么时候发货？", "快递还没到", "订单{o}物流有更新吗？"],
    ko: ["택배 어디쯤 왔나요? 주문번호 {o}", "언제 배송되나요?", "아직 택배가 안 왔어요", "{o} 배송 조회 부탁드려요"],
    pt: ["Cadê minha encomenda? Pedido {o}", "Quando meu pedido vai ser enviado?", "Meu pacote ainda não chegou"],
  },
  store: {
    en: ["What's your store address?", "Where is your nearest store?", "store address and opening hours pls"],
    "zh-Hant": ["請問門市地址喺邊？", "最近嘅門市喺邊度？", "門市地址同營業時間？"],
    "zh-Hans": ["请问门店地址在哪里？", "最近的门店在哪？", "门店地址和营业时间？"],
    ko: ["매장 주소가 어떻게 되나요?", "가까운 매장 어디 있어요?", "매장 주소랑 영업시간 알려주세요"],
    pt: ["Qual o endereço da loja?", "Onde fica a loja mais próxima?"],
  },
  agent: {
    en: ["talk to an agent", "I want to talk to an agent please", "Can I speak to a real person?", "agent"],
    "zh-Hant": ["我想搵真人客服", "轉接客服", "可唔可以同真人傾？"],
    "zh-Hans": ["转人工客服", "我要人工客服", "能和真人聊吗？"],
    ko: ["상담원 연결해주세요", "상담원이랑 얘기하고 싶어요", "사람이랑 통화할 수 있나요?"],
    pt: ["Quero falar com um atendente", "falar com atendente", "Posso falar com uma pessoa?"],
  },
  expensive: {
    en: [
      "That's too expensive",
      "too expensive for me 😕",
      "Hmm too expensive, other shops are cheaper",
      "Do you have instalment plans? it's too expensive",
    ],
    "zh-Hant": ["太貴啦", "有啲太貴 😕", "太貴了，其他舖頭平啲", "太貴，可唔可以分期？"],
    "zh-Hans": ["太贵了", "有点太贵了 😕", "太贵了，别家更便宜", "太贵了，可以分期吗？"],
    ko: ["너무 비싸요", "좀 비싸네요 😕", "너무 비싸요 다른 데가 더 싸던데", "너무 비싼데 할부 되나요?"],
    pt: [
      "Muito caro",
      "tá muito caro 😕",
      "Muito caro, em outras lojas é mais barato",
      "Dá pra parcelar? tá muito caro",
    ],
  },
  buy: {
    en: ["I want to buy the {p}", "I'd like to order {p}, size {s}", "OK I want to buy {p} 👍", "I'll take the {p}"],
    "zh-Hant": ["我想買{p}", "我要訂{p}，{s}碼", "好，我想買{p} 👍", "我要{p}"],
    "zh-Hans": ["我想买{p}", "我要下单{p}，{s}码", "好的，我想买{p} 👍"],
    ko: ["{p} 구매하고 싶어요", "{p} 주문할게요 사이즈 {s}", "좋아요 {p} 살게요 👍"],
    pt: ["Quero comprar o {p}", "Vou querer o {p}, tamanho {s}", "Fechado, quero comprar o {p} 👍"],
  },
  thanks: {
    en: ["Thanks!", "thank you so much 😊", "Great, thanks", "ok thanks", "👍"],
    "zh-Hant": ["多謝！", "唔該晒 😊", "好，多謝", "謝謝"],
    "zh-Hans": ["谢谢！", "非常感谢 😊", "好的，谢谢"],
    ko: ["감사합니다!", "고맙습니다 😊", "네 감사해요"],
    pt: ["Obrigado!", "Muito obrigada 😊", "Valeu!"],
  },
  negative: {
    en: [
      "Still no reply? This is really slow",
      "Not happy with the service",
      "I'm disappointed, nobody answered me",
      "Forget it.",
    ],
    "zh-Hant": ["仲未覆？真係好慢", "對服務好失望", "冇人覆我，好失望", "算啦。"],
    "zh-Hans": ["还没回复？真的很慢", "对服务很失望", "没人回我，太失望了", "算了。"],
    ko: ["아직도 답이 없네요 너무 느려요", "서비스 실망이에요", "아무도 답을 안 해주시네요", "됐어요."],
    pt: [
      "Ainda sem resposta? Muito demorado",
      "Não estou satisfeito com o atendimento",
      "Estou decepcionado, ninguém me respondeu",
    ],
  },
  smalltalk: {
    en: ["ok", "sure", "let me think about it", "I'll check and come back", "can you send a photo?"],
    "zh-Hant": ["好", "OK", "我諗諗先", "可唔可以影張相睇吓？"],
    "zh-Hans": ["好的", "嗯", "我考虑一下", "能发张图片看看吗？"],
    ko: ["네", "알겠습니다", "생각해볼게요", "사진 보내주실 수 있나요?"],
    pt: ["ok", "beleza", "vou pensar", "pode mandar uma foto?"],
  },
};

export type Reply =
  "price" | "discount" | "quote" | "complaint" | "size" | "shipping" | "store" | "stock" | "generic" | "close";

export const AGENT_REPLY: Record<Reply, Record<Lang, readonly string[]>> = {
  price: {
    en: ["The {p} is {price} {cur}. Would you like to order?", "Hi! {p} is currently {price} {cur} 😊"],
    "zh-Hant": ["{p}而家售 {price} {cur}，需要幫你落單嗎？", "你好！{p} 價錢係 {price} {cur} 😊"],
    "zh-Hans": ["{p}现价 {price} {cur}，需要帮您下单吗？"],
    ko: ["{p}는 {price} {cur}입니다. 주문 도와드릴까요?"],
    pt: ["O {p} está por {price} {cur}. Quer fazer o pedido?"],
  },
  discount: {
    en: ["We have 10% off this week with code SAVE10 🎉", "Members get 5% off; I can apply it for you."],
    "zh-Hant": ["今個星期有九折，用優惠碼 SAVE10 🎉", "會員有95折，我可以幫你用。"],
    "zh-Hans": ["本周九折，优惠码 SAVE10 🎉", "会员95折，我帮您用上。"],
    ko: ["이번 주 10% 할인 코드 SAVE10 있어요 🎉", "회원은 5% 할인 적용해 드릴게요."],
    pt: ["Temos 10% de desconto esta semana com o cupom SAVE10 🎉"],
  },
  quote: {
    en: ["I'll prepare a quotation for you and send it by email today."],
    "zh-Hant": ["我今日準備報價單電郵俾你。"],
    "zh-Hans": ["我今天准备报价单发到您邮箱。"],
    ko: ["오늘 중으로 견적서 이메일로 보내드리겠습니다."],
    pt: ["Vou preparar o orçamento e envio por e-mail hoje."],
  },
  complaint: {
    en: [
      "I'm very sorry about this. Could you send a photo of the item? We'll arrange a replacement.",
      "Sorry for the trouble! I've escalated this to our team.",
    ],
    "zh-Hant": ["非常抱歉！可唔可以影張相俾我哋？我哋會安排換貨。", "唔好意思，已經轉交同事跟進。"],
    "zh-Hans": ["非常抱歉！能发张照片吗？我们会安排换货。"],
    ko: ["정말 죄송합니다. 사진 보내주시면 교환 처리해 드릴게요."],
    pt: ["Sinto muito! Pode mandar uma foto do produto? Vamos trocar."],
  },
  size: {
    en: ["The {p} runs true to size; {s} should fit you well."],
    "zh-Hant": ["{p}尺碼標準，{s}碼應該啱你。"],
    "zh-Hans": ["{p}尺码标准，{s}码应该合适。"],
    ko: ["{p}는 정사이즈예요. {s} 추천드려요."],
    pt: ["O {p} veste normal; o {s} deve servir bem."],
  },
  shipping: {
    en: ["Your parcel is on the way and should arrive in 1-2 days 🚚"],
    "zh-Hant": ["你嘅包裹已經寄出，預計1-2日到 🚚"],
    "zh-Hans": ["您的包裹已发出，预计1-2天送达 🚚"],
    ko: ["택배 출고되었고 1-2일 내 도착 예정입니다 🚚"],
    pt: ["Seu pedido já saiu e deve chegar em 1-2 dias 🚚"],
  },
  store: {
    en: ["Our flagship store: 88 Queen's Road Central, open 10:00-21:00 daily."],
    "zh-Hant": ["旗艦店：皇后大道中88號，每日10:00-21:00。"],
    "zh-Hans": ["旗舰店：皇后大道中88号，每天10:00-21:00。"],
    ko: ["본점: 명동길 88, 매일 10:00-21:00 영업합니다."],
    pt: ["Nossa loja: Av. Paulista 888, aberta das 10h às 21h."],
  },
  stock: {
    en: ["Yes, the {p} is in stock 👍", "We have the {p} in black and silver."],
    "zh-Hant": ["{p}有現貨 👍", "{p}有黑色同銀色。"],
    "zh-Hans": ["{p}有现货 👍"],
    ko: ["{p} 재고 있습니다 👍"],
    pt: ["Temos o {p} em estoque 👍"],
  },
  generic: {
    en: ["Sure, let me check for you.", "Thanks for waiting! How can I help?"],
    "zh-Hant": ["好，我幫你查一查。", "多謝等候！有咩可以幫到你？"],
    "zh-Hans": ["好的，我帮您查一下。"],
    ko: ["네, 확인해 드릴게요."],
    pt: ["Claro, vou verificar para você."],
  },
  close: {
    en: ["You're welcome! Have a nice day 😊"],
    "zh-Hant": ["唔使客氣！祝你有美好嘅一天 😊"],
    "zh-Hans": ["不客气！祝您愉快 😊"],
    ko: ["감사합니다! 좋은 하루 보내세요 😊"],
    pt: ["Por nada! Tenha um ótimo dia 😊"],
  },
};

export const BOT_MENU: Record<Lang, string> = {
  en: "Hi! 👋 Welcome to Nova Store. Choose an option below or type your question.",
  "zh-Hant": "你好！👋 歡迎嚟到 Nova Store，請揀選項或者直接輸入問題。",
  "zh-Hans": "您好！👋 欢迎来到 Nova Store，请选择选项或直接输入问题。",
  ko: "안녕하세요! 👋 Nova Store입니다. 아래에서 선택하거나 질문을 입력해 주세요.",
  pt: "Olá! 👋 Bem-vindo à Nova Store. Escolha uma opção ou digite sua pergunta.",
};

export const BOT_HANDOFF: Record<Lang, string> = {
  en: "Thanks! An agent will be with you shortly.",
  "zh-Hant": "多謝！客服同事會盡快回覆你。",
  "zh-Hans": "谢谢！客服会尽快回复您。",
  ko: "감사합니다! 곧 상담원이 연결됩니다.",
  pt: "Obrigado! Um atendente vai falar com você em breve.",
};

export const BOT_AFTER_HOURS: Record<Lang, string> = {
  en: "Our agents are offline now (09:00-21:00). We'll reply first thing tomorrow.",
  "zh-Hant": "客服而家下咗班（09:00-21:00），聽朝會盡快回覆。",
  "zh-Hans": "客服现在下班了（09:00-21:00），明早会尽快回复。",
  ko: "지금은 상담 시간이 아닙니다 (09:00-21:00). 내일 아침 바로 답변드릴게요.",
  pt: "Nossos atendentes estão offline (09h-21h). Respondemos amanhã cedo.",
};

export const CSAT_QUESTION: Record<Lang, string> = {
  en: "How satisfied were you with our service today? (1 = poor, 5 = excellent)",
  "zh-Hant": "你對今日嘅服務有幾滿意？（1 = 差，5 = 非常好）",
  "zh-Hans": "您对今天的服务满意吗？（1 = 差，5 = 非常好）",
  ko: "오늘 상담은 만족스러우셨나요? (1 = 불만족, 5 = 매우 만족)",
  pt: "Qual sua satisfação com o atendimento hoje? (1 = ruim, 5 = excelente)",
};

export const CSAT_TITLES = ["😞 1", "🙁 2", "😐 3", "🙂 4", "😍 5"] as const;

export const MENU_ROWS = [
  { id: "menu_products", title: "Products & prices", description: "Ask about a product" },
  { id: "menu_order", title: "My order", description: "Where is my parcel" },
  { id: "menu_store", title: "Store address", description: "Find a store near you" },
  { id: "menu_agent", title: "Talk to an agent", description: "Chat with our team" },
] as const;

export function fill(
  template: string,
  vars: { p?: string; s?: string; o?: string; price?: string; cur?: string },
): string {
  if (!template.includes("{")) return template;
  return template
    .replace(/\{p\}/g, vars.p ?? "")
    .replace(/\{s\}/g, vars.s ?? "M")
    .replace(/\{o\}/g, vars.o ?? "")
    .replace(/\{price\}/g, vars.price ?? "")
    .replace(/\{cur\}/g, vars.cur ?? "");
}

export function inboundText(rng: Rng, intent: Intent, lang: Lang): string {
  return rng.pick(INBOUND[intent][lang]);
}

export function agentText(rng: Rng, reply: Reply, lang: Lang): string {
  return rng.pick(AGENT_REPLY[reply][lang]);
}
