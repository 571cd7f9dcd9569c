import { describe, expect, it } from "vitest";

import { analyzeSentiment, lexiconSize, meanSentiment, sentimentScore } from "../../../ml/sentiment.ts";

const complaints: Record<string, string[]> = {
  en: [
    "This is too expensive and the item arrived broken, I want a refund",
    "Terrible service, my order is late again. I want to complain.",
    "Not happy at all, the product is defective 😡",
  ],
  pt: ["Muito caro, e chegou quebrado. Quero reembolso.", "Péssimo atendimento, o pedido está atrasado"],
  ko: ["너무 비싸고 배송이 늦어요. 환불해 주세요", "제품이 고장났어요. 정말 실망입니다", "불량품이 왔어요 짜증나요"],
  "zh-Hans": ["太贵了，而且坏了，我要退款", "质量差，发货太慢，我要投诉"],
  "zh-Hant": ["太貴了，而且壞了，我要退款", "品質差，我要投訴，很失望"],
};
const thanks: Record<string, string[]> = {
  en: ["Thanks so much, great service!", "Thank you, the delivery was fast and the product is perfect 👍"],
  pt: ["Muito obrigado, ótimo atendimento!", "Adorei o produto, chegou rápido. Recomendo!"],
  ko: ["정말 감사합니다! 최고예요", "배송 빠르고 제품 너무 좋아요. 감사해요"],
  "zh-Hans": ["非常感谢，服务很好！", "谢谢，质量很棒，非常满意"],
  "zh-Hant": ["非常感謝，服務很好！", "謝謝，品質很棒，非常滿意"],
};
const neutral: Record<string, string[]> = {
  en: ["My order number is 12345", "What time do you open tomorrow?"],
  pt: ["Qual é o horário de funcionamento?", "Meu pedido é o número 555"],
  ko: ["주문 번호는 12345입니다", "안녕하세요, 영업시간 문의드립니다"],
  "zh-Hans": ["请问几点开门？", "我的订单号是12345"],
  "zh-Hant": ["請問幾點開門？", "我的訂單號是12345"],
};

describe("sentimentScore", () => {
  for (const [lang, texts] of Object.entries(complaints)) {
    it.each(texts)(`complaint (${lang}) < 0.3: %s`, (t) => expect(sentimentScore(t)).toBeLessThan(0.3));
  }
  for (const [lang, texts] of Object.entries(thanks)) {
    it.each(texts)(`thanks (${lang}) > 0.7: %s`, (t) => expect(sentimentScore(t)).toBeGreaterThan(0.7));
  }
  for (const [lang, texts] of Object.entries(neutral)) {
    it.each(texts)(`neutral (${lang}) ~ 0.5: %s`, (t) => expect(sentimentScore(t)).toBeCloseTo(0.5, 1));
  }

  it("handles negation in each language", () => {
    expect(sentimentScore("The product is not good")).toBeLessThan(0.5);
    expect(sentimentScore("not bad at all")).toBeGreaterThan(0.5);
    expect(sentimentScore("não gostei")).toBeLessThan(0.5);
    expect(sentimentScore("좋지 않아요")).toBeLessThan(0.5);
    expect(sentimentScore("만족하지 않아요")).toBeLessThan(0.5);
    expect(sentimentScore("문제 없어요")).toBeGreaterThan(0.5);
    expect(sentimentScore("不满意")).toBeLessThan(0.5);
    expect(sentimentScore("不贵")).toBeGreaterThan(0.5);
    expect(analyzeSentiment("I didn't like it").hits[0]).toMatchObject({ term: "like", negated: true });
  });

  it("does not read polite phrases as sentiment", () => {
    expect(sentimentScore("不好意思，我想问一下")).toBe(0.5);
    expect(sentimentScore("贵公司的地址是？")).toBe(0.5);
    expect(sentimentScore("안녕하세요")).toBe(0.5);
  });

  it("reads emoji and weights the clause after 'but'", () => {
    expect(sentimentScore("👍🙏")).toBeGreaterThan(0.7);
    expect(sentimentScore("😡😡")).toBeLessThan(0.3);
    expect(sentimentScore("Great product but delivery was late")).toBeLessThan(0.5);
  });

  it("is deterministic and bounded", () => {
    const t = "Thanks! 감사합니다 谢谢 obrigado";
    expect(sentimentScore(t)).toBe(sentimentScore(t));
    expect(sentimentScore(t)).toBeLessThanOrEqual(1);
    expect(meanSentiment([])).toBe(0.5);
  });

  it("has at least 100 terms per language", () => {
    const size = lexiconSize();
    for (const lang of ["en", "pt", "ko", "zh"] as const) expect(size[lang]).toBeGreaterThanOrEqual(100);
  });
});
