import type { Rng } from "./rng.ts";

/** Twelve human agents with shifts in the business time zone and their own speed (R22). */
export interface Agent {
  readonly id: string;
  readonly name: string;
  /** Local hours [start, end) of the shift. */
  readonly shiftStart: number;
  readonly shiftEnd: number;
  /** Local weekdays worked (0 = Sunday). */
  readonly days: readonly number[];
  /** Median first-response delay in minutes once the agent picks a chat up. */
  readonly medianMin: number;
  readonly sigma: number;
  /** Sends a voice note now and then. */
  readonly voice: boolean;
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const SAT = [1, 2, 3, 4, 5, 6];
const WEEKEND = [0, 5, 6];

export const AGENTS: readonly Agent[] = [
  {
    id: "A01",
    name: "Cindy Lau",
    shiftStart: 9,
    shiftEnd: 18,
    days: WEEKDAYS,
    medianMin: 2.5,
    sigma: 0.7,
    voice: true,
  },
  {
    id: "A02",
    name: "Kenneth Ho",
    shiftStart: 9,
    shiftEnd: 18,
    days: WEEKDAYS,
    medianMin: 3.2,
    sigma: 0.7,
    voice: false,
  },
  {
    id: "A03",
    name: "Ji-woo Park",
    shiftStart: 10,
    shiftEnd: 19,
    days: WEEKDAYS,
    medianMin: 3.8,
    sigma: 0.6,
    voice: false,
  },
  { id: "A04", name: "Mei Ling Tan", shiftStart: 12, shiftEnd: 21, days: SAT, medianMin: 2.8, sigma: 0.7, voice: true },
  {
    id: "A05",
    name: "Rafael Costa",
    shiftStart: 12,
    shiftEnd: 21,
    days: WEEKDAYS,
    medianMin: 4.2,
    sigma: 0.6,
    voice: false,
  },
  { id: "A06", name: "Priya Nair", shiftStart: 8, shiftEnd: 17, days: SAT, medianMin: 3.5, sigma: 0.6, voice: false },
  {
    id: "A07",
    name: "Jason Wong",
    shiftStart: 13,
    shiftEnd: 22,
    days: WEEKEND,
    medianMin: 4.5,
    sigma: 0.7,
    voice: false,
  },
  {
    id: "A08",
    name: "Yi-Ting Chen",
    shiftStart: 9,
    shiftEnd: 18,
    days: WEEKDAYS,
    medianMin: 2.2,
    sigma: 0.6,
    voice: true,
  },
  {
    id: "A09",
    name: "Siti Rahman",
    shiftStart: 10,
    shiftEnd: 19,
    days: [0, 1, 2, 3, 6],
    medianMin: 4.8,
    sigma: 0.6,
    voice: false,
  },
  {
    id: "A10",
    name: "Eric Cheung",
    shiftStart: 14,
    shiftEnd: 22,
    days: WEEKDAYS,
    medianMin: 3.0,
    sigma: 0.7,
    voice: false,
  },
  // The two slow ones (average over 6 minutes, R22).
  {
    id: "A11",
    name: "Marcus Goh",
    shiftStart: 9,
    shiftEnd: 18,
    days: WEEKDAYS,
    medianMin: 6.8,
    sigma: 0.6,
    voice: false,
  },
  {
    id: "A12",
    name: "Ana Souza",
    shiftStart: 11,
    shiftEnd: 20,
    days: [0, 3, 4, 5, 6],
    medianMin: 7.5,
    sigma: 0.55,
    voice: false,
  },
];

export function onShift(agent: Agent, weekday: number, localHour: number): boolean {
  return agent.days.includes(weekday) && localHour >= agent.shiftStart && localHour < agent.shiftEnd;
}

/** Response delay in ms for one reply by this agent. */
export function responseDelayMs(rng: Rng, agent: Agent): number {
  return Math.max(20_000, rng.logNormal(agent.medianMin, agent.sigma) * 60_000);
}

export const AUTOMATIONS = {
  welcome: "auto_welcome_menu",
  handoff: "auto_handoff",
  afterHours: "auto_after_hours",
  csat: "auto_csat_survey",
  orderStatus: "auto_order_status",
  cartReminder: "auto_cart_reminder",
  restock: "auto_restock_alert",
  winback: "auto_winback_15",
} as const;
