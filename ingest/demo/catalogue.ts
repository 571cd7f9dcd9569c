/** The ~40 products the demo business sells, with standard SKUs (R9) and the messy strings staff type. */
export interface Product {
  readonly sku: string;
  readonly name: string;
  readonly brand: string;
  readonly category: "phone" | "accessory" | "apparel" | "cosmetics";
  readonly usd: number;
  /** How staff and customers actually write it. */
  readonly messy: readonly string[];
  readonly sizes?: readonly string[];
  /** Relative popularity. */
  readonly weight: number;
}

const APPAREL_SIZES = ["XS", "S", "M", "L", "XL"] as const;
const SHOE_SIZES = ["38", "39", "40", "41", "42", "43", "44"] as const;

function p(
  sku: string,
  name: string,
  brand: string,
  category: Product["category"],
  usd: number,
  weight: number,
  messy: string[],
  sizes?: readonly string[],
): Product {
  return sizes
    ? { sku, name, brand, category, usd, weight, messy, sizes }
    : { sku, name, brand, category, usd, weight, messy };
}

export const CATALOGUE: readonly Product[] = [
  p("APL-IP15PM", "iPhone 15 Pro Max", "Apple", "phone", 1199, 9, [
    "iPhone15 Pro Max",
    "iphone 15 pro max 256g",
    "IP15PM",
    "iPhone 15PM",
    "i15 pro max",
  ]),
  p("APL-IP15P", "iPhone 15 Pro", "Apple", "phone", 999, 8, ["iPhone15 Pro", "iphone 15pro", "IP15P", "i15 pro 128"]),
  p("APL-IP15", "iPhone 15", "Apple", "phone", 799, 8, ["iPhone15", "iphone 15 128g", "IP15"]),
  p("APL-IP16PM", "iPhone 16 Pro Max", "Apple", "phone", 1199, 7, [
    "iPhone16 Pro Max",
    "iphone16promax",
    "IP16PM",
    "16 pro max 512",
  ]),
  p("APL-IP16", "iPhone 16", "Apple", "phone", 829, 6, ["iPhone16", "iphone 16 256gb", "IP16"]),
  p("SAM-S24U", "Galaxy S24 Ultra", "Samsung", "phone", 1299, 7, [
    "S24 Ultra",
    "galaxy s24u",
    "SM-S928",
    "s24ultra 256",
  ]),
  p("SAM-S24", "Galaxy S24", "Samsung", "phone", 799, 5, ["S24", "galaxy s24 128g", "SM-S921"]),
  p("SAM-ZFLIP6", "Galaxy Z Flip6", "Samsung", "phone", 1099, 4, ["Z Flip 6", "zflip6", "galaxy flip6"]),
  p("GOO-PX9P", "Pixel 9 Pro", "Google", "phone", 999, 3, ["Pixel9 Pro", "pixel 9pro", "PX9P"]),
  p("XIA-14U", "Xiaomi 14 Ultra", "Xiaomi", "phone", 1099, 3, ["Mi 14 Ultra", "xiaomi14 ultra", "小米14 Ultra"]),
  p("APL-APP2", "AirPods Pro 2", "Apple", "accessory", 249, 8, ["AirPods Pro2", "airpod pro 2nd gen", "APP2"]),
  p("APL-AW9", "Apple Watch Series 9", "Apple", "accessory", 399, 5, ["Apple Watch S9", "watch 9 45mm", "AW9"]),
  p("APL-MSC20W", "20W USB-C Power Adapter", "Apple", "accessory", 19, 6, [
    "20W charger",
    "apple 20w",
    "usb c adapter 20W",
  ]),
  p("SAM-BUDS3P", "Galaxy Buds3 Pro", "Samsung", "accessory", 249, 4, ["Buds 3 Pro", "galaxy buds3pro", "buds3 pro"]),
  p("ANK-PB10K", "Anker PowerCore 10000", "Anker", "accessory", 29, 6, [
    "anker 10000mah",
    "powercore 10k",
    "Anker PB 10000",
  ]),
  p("SPG-IP15C", "Spigen Case iPhone 15", "Spigen", "accessory", 25, 7, [
    "spigen case ip15",
    "iPhone15 case",
    "手機殼 iPhone 15",
  ]),
  p("SPG-S24C", "Spigen Case Galaxy S24", "Spigen", "accessory", 25, 4, ["s24 case spigen", "galaxy s24 case"]),
  p("BEL-SCRN15", "Belkin Screen Protector iPhone 15", "Belkin", "accessory", 29, 5, [
    "belkin glass ip15",
    "screen protector 15",
    "保護貼 15",
  ]),
  p("JBL-FLIP6", "JBL Flip 6", "JBL", "accessory", 129, 3, ["jbl flip6", "JBL Flip-6 speaker"]),
  p("SON-WH1000", "Sony WH-1000XM5", "Sony", "accessory", 399, 4, ["WH1000XM5", "sony xm5", "sony wh-1000 xm5"]),
  p(
    "UNQ-AIRT",
    "AIRism Cotton T-Shirt",
    "Uniqlo",
    "apparel",
    15,
    6,
    ["airism tee", "AIRism T shirt", "uniqlo airism t"],
    APPAREL_SIZES,
  ),
  p(
    "UNQ-ULD",
    "Ultra Light Down Jacket",
    "Uniqlo",
    "apparel",
    80,
    4,
    ["ULD jacket", "ultra light down", "uniqlo down jkt"],
    APPAREL_SIZES,
  ),
  p(
    "NKE-AF1",
    "Nike Air Force 1 '07",
    "Nike",
    "apparel",
    115,
    6,
    ["AF1", "air force 1 white", "nike af1 07"],
    SHOE_SIZES,
  ),
  p("NKE-DFTEE", "Nike Dri-FIT Tee", "Nike", "apparel", 30, 4, ["dri fit tee", "nike drifit t-shirt"], APPAREL_SIZES),
  p(
    "ADI-SAMBA",
    "Adidas Samba OG",
    "Adidas",
    "apparel",
    100,
    6,
    ["samba og", "adidas samba", "samba white"],
    SHOE_SIZES,
  ),
  p(
    "ADI-HOOD",
    "Adidas Essentials Hoodie",
    "Adidas",
    "apparel",
    65,
    3,
    ["adidas hoodie", "essentials hoody"],
    APPAREL_SIZES,
  ),
  p(
    "LEV-501",
    "Levi's 501 Original Jeans",
    "Levi's",
    "apparel",
    98,
    4,
    ["501 jeans", "levis 501", "levi 501 original"],
    ["28", "30", "32", "34", "36"],
  ),
  p("MUJ-LINSH", "Linen Shirt", "MUJI", "apparel", 40, 3, ["muji linen shirt", "linen shirt L"], APPAREL_SIZES),
  p(
    "NBL-530",
    "New Balance 530",
    "New Balance",
    "apparel",
    100,
    4,
    ["NB530", "nb 530", "new balance 530 silver"],
    SHOE_SIZES,
  ),
  p("SKI-FTE230", "SK-II Facial Treatment Essence 230ml", "SK-II", "cosmetics", 185, 5, [
    "SK2 神仙水 230",
    "skii essence 230ml",
    "FTE 230",
  ]),
  p("LAN-ANR50", "Estée Lauder Advanced Night Repair 50ml", "Estée Lauder", "cosmetics", 115, 4, [
    "ANR 50ml",
    "小棕瓶 50",
    "estee lauder night repair",
  ]),
  p("SUL-FCS90", "Sulwhasoo First Care Serum 90ml", "Sulwhasoo", "cosmetics", 110, 4, [
    "설화수 윤조 90",
    "sulwhasoo serum 90ml",
    "first care serum",
  ]),
  p("LAN-LIPG", "Laneige Lip Sleeping Mask", "Laneige", "cosmetics", 24, 6, [
    "laneige lip mask",
    "lip sleeping mask berry",
    "라네즈 립",
  ]),
  p("COS-SNAIL", "COSRX Snail Mucin Essence", "COSRX", "cosmetics", 25, 6, [
    "cosrx snail 96",
    "snail essence",
    "snail mucin",
  ]),
  p("SHI-SUN50", "Shiseido Ultimate Sun Protector SPF50+", "Shiseido", "cosmetics", 45, 5, [
    "shiseido sunscreen",
    "anessa spf50",
    "資生堂 防曬",
  ]),
  p("MAC-RUBY", "MAC Lipstick Ruby Woo", "MAC", "cosmetics", 23, 5, ["ruby woo", "mac ruby woo lipstick"]),
  p("INN-GTS", "Innisfree Green Tea Seed Serum", "Innisfree", "cosmetics", 32, 4, [
    "green tea serum",
    "innisfree gts serum",
  ]),
  p("DYS-AIRW", "Dyson Airwrap", "Dyson", "cosmetics", 599, 3, [
    "airwrap",
    "dyson air wrap complete",
    "dyson airwrap long",
  ]),
  p("LOC-HAND", "L'Occitane Shea Hand Cream 150ml", "L'Occitane", "cosmetics", 32, 4, [
    "loccitane hand cream",
    "shea hand cream 150",
  ]),
  p("CLN-MOIST", "Clinique Moisture Surge 100H", "Clinique", "cosmetics", 52, 3, [
    "moisture surge",
    "clinique 100h gel",
  ]),
];

export const PRODUCT_WEIGHTS: readonly number[] = CATALOGUE.map((x) => x.weight);
