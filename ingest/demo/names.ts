import type { MarketCode } from "./markets.ts";
import type { Rng } from "./rng.ts";

/** Small per-market name pools (romanised as CRM staff type them) and WhatsApp profile names. */
const POOLS: Record<MarketCode, { family: readonly string[]; given: readonly string[]; english?: readonly string[] }> =
  {
    HK: {
      family: [
        "Chan",
        "Wong",
        "Lee",
        "Cheung",
        "Lau",
        "Ng",
        "Leung",
        "Ho",
        "Lam",
        "Tsang",
        "Yip",
        "Cheng",
        "Kwok",
        "Mak",
        "Tang",
      ],
      given: [
        "Tai Man",
        "Ka Yan",
        "Wai Kit",
        "Siu Ming",
        "Hoi Yan",
        "Chun Kit",
        "Mei Ling",
        "Ka Ho",
        "Wing Sze",
        "Pui Shan",
        "Tsz Hin",
        "Hiu Tung",
      ],
      english: [
        "Peter",
        "Mandy",
        "Kelvin",
        "Joyce",
        "Ivan",
        "Cherry",
        "Alan",
        "Winnie",
        "Jason",
        "Carmen",
        "Eric",
        "Fiona",
      ],
    },
    TW: {
      family: ["Chen", "Lin", "Huang", "Chang", "Li", "Wang", "Wu", "Liu", "Tsai", "Yang", "Hsu", "Cheng"],
      given: [
        "Chia-Hao",
        "Yi-Ting",
        "Chih-Wei",
        "Shu-Fen",
        "Yu-Chen",
        "Kuan-Yu",
        "Hsin-Yi",
        "Po-Han",
        "Ya-Wen",
        "Tzu-Hsuan",
      ],
      english: ["Kevin", "Vivian", "Jerry", "Tina", "Allen", "Iris"],
    },
    KR: {
      family: ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Shin"],
      given: ["Min-jun", "Seo-yeon", "Ji-hoon", "Ha-eun", "Do-yun", "Su-bin", "Ji-woo", "Ye-jin", "Hyun-woo", "Eun-ji"],
    },
    SG: {
      family: ["Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo", "Kumar", "Abdullah"],
      given: ["Wei Ling", "Jun Jie", "Hui Min", "Zhi Hao", "Siti", "Ravi", "Xin Yi", "Kai Wen", "Nur Aisyah", "Priya"],
      english: ["Daniel", "Rachel", "Marcus", "Joanne", "Bryan", "Sharon"],
    },
    MY: {
      family: ["Tan", "Lim", "Lee", "Wong", "Ahmad", "Abdullah", "Raj", "Ismail", "Chong", "Yap", "Hassan", "Ng"],
      given: [
        "Ahmad Faiz",
        "Nurul Huda",
        "Wei Jie",
        "Mei Yee",
        "Siva",
        "Farah",
        "Hafiz",
        "Li Ying",
        "Kavitha",
        "Aiman",
      ],
      english: ["Jason", "Michelle", "Kenneth", "Grace"],
    },
    BR: {
      family: [
        "Silva",
        "Santos",
        "Oliveira",
        "Souza",
        "Rodrigues",
        "Ferreira",
        "Alves",
        "Pereira",
        "Lima",
        "Gomes",
        "Costa",
        "Ribeiro",
      ],
      given: [
        "João",
        "Maria",
        "Ana",
        "Pedro",
        "Lucas",
        "Juliana",
        "Gabriel",
        "Fernanda",
        "Rafael",
        "Camila",
        "Bruno",
        "Larissa",
      ],
    },
    IN: {
      family: ["Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Das", "Mehta", "Joshi", "Rao"],
      given: [
        "Aarav",
        "Priya",
        "Rohan",
        "Ananya",
        "Vikram",
        "Sneha",
        "Arjun",
        "Kavya",
        "Rahul",
        "Pooja",
        "Aditya",
        "Neha",
      ],
    },
  };

const EMOJI_SUFFIX = [" 🌸", " ✨", " 😊", " 🐱", " 💙", " 🌙"];

export function personName(rng: Rng, market: MarketCode): string {
  const p = POOLS[market];
  const family = rng.pick(p.family);
  const given = rng.pick(p.given);
  if (market === "BR" || market === "IN") return `${given} ${family}`;
  if (p.english && rng.chance(0.3)) return `${rng.pick(p.english)} ${family} ${given}`;
  return `${family} ${given}`;
}

/**
 * A variant of a name as a second CRM record might hold it: one or two small edits, so that the
 * Levenshtein similarity stays at or above 0.8 (R8).
 */
export function nameVariant(rng: Rng, name: string): string {
  const short = name.length < 12;
  const choice = rng.int(0, short ? 2 : 4);
  const i = rng.int(1, Math.max(1, name.length - 2));
  switch (choice) {
    case 0:
      return name.slice(0, i) + name.slice(i + 1); // a dropped letter
    case 1:
      return name.slice(0, i) + name[i] + name.slice(i); // a doubled letter
    case 2:
      return name + "."; // a stray full stop
    case 3: {
      // hyphenated given name: "Tai Man" -> "Tai-man"
      const v = name.replace(/ ([A-Z])([a-z]+)$/, (_m, a: string, b: string) => `-${a.toLowerCase()}${b}`);
      return v === name ? name.slice(0, i) + name.slice(i + 1) : v;
    }
    default: {
      // two adjacent letters swapped
      const j = Math.min(i, name.length - 2);
      return name.slice(0, j) + (name[j + 1] ?? "") + (name[j] ?? "") + name.slice(j + 2);
    }
  }
}

/** The WhatsApp profile name a user chose; often not the CRM name (R10). */
export function profileName(rng: Rng, market: MarketCode, crmName: string): string {
  const r = rng.float();
  const parts = crmName.split(" ");
  if (r < 0.55) return crmName;
  if (r < 0.7) return (parts[parts.length - 1] ?? crmName) + (rng.chance(0.3) ? rng.pick(EMOJI_SUFFIX) : "");
  if (r < 0.8) return parts[0] ?? crmName;
  const p = POOLS[market];
  if (r < 0.9 && p.english) return `${rng.pick(p.english)} ${parts[0] ?? ""}`.trim();
  return rng.pick(["Mom", "Boss", "Happy Life", "~Sunshine~", "A.", "小明", "민지", "Nina", "Jojo", "🌈"]) as string;
}

export function emailFor(rng: Rng, name: string, n: number): string {
  const local = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z ]/g, "")
    .trim()
    .replace(/ +/g, rng.pick([".", "_", ""]));
  return `${local || "user"}${n % 97}@${rng.pick(["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "naver.com", "icloud.com"])}`;
}
