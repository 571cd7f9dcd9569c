import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HomeLayout } from "../../../core/home.ts";
import { CsvCrmConnector, parseCsv } from "../../../ingest/crm/csv-connector.ts";
import { CSV_PRESETS } from "../../../ingest/crm/mapping.ts";
import { snapshotCrm } from "../../../ingest/crm/snapshot.ts";
import { tempHome } from "../../helpers/temp-home.ts";

describe("CSV export connector", () => {
  let home: HomeLayout;
  let cleanup: () => void;
  beforeEach(() => ({ home, cleanup } = tempHome()));
  afterEach(() => cleanup());

  it("parses quoted fields, doubled quotes, CRLF and a BOM", () => {
    const { header, rows } = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n3,\n');
    expect(header).toEqual(["a", "b"]);
    expect(rows).toEqual([
      { a: "x, y", b: 'say "hi"' },
      { a: "3", b: "" },
    ]);
  });

  const exports = {
    hubspot: {
      file: "contacts.csv",
      text: `Record ID,First Name,Last Name,Email,Phone Number,Country/Region,Last Modified Date,Create Date,City,Postal Code,Original Source,Contact owner,Lifecycle Stage
501,Wei,Chen,w@example.com,0912-345-678,Taiwan,2026-01-02 10:00:00.123,2026-01-01 09:00,Taipei,100,Offline,owner@x,
502,Ravi,Kumar,r@example.com,098765 43210,India,2026-01-02 10:00:00.456,2026-01-01 09:00,,,,,customer
`,
    },
    zoho: {
      file: "Contacts.csv",
      text: `Record Id,First Name,Last Name,Email,Mobile,Mailing Country,Modified Time,Created Time,Mailing City,Mailing Zip,Mailing Street,Lead Source,Contact Owner,Tag
zcrm_1,Siti,Aminah,s@example.com,012-345 6789,Malaysia,2026-01-02 10:00:00,2026-01-01 09:00:00,KL,50000,Jalan 1,WhatsApp,Owner,vip
`,
    },
    salesforce: {
      file: "Contact.csv",
      text: `Id,FirstName,LastName,Email,MobilePhone,MailingCountry,LastModifiedDate,CreatedDate,MailingCity,MailingPostalCode,MailingStreet,LeadSource,OwnerId
0031x00000AbCdE,Ana,Silva,a@example.com,(11) 8765-4321,Brazil,2026-01-02T10:00:00.000+0000,2026-01-01T09:00:00.000+0000,São Paulo,01000-000,Rua 1,Web,0051x
`,
    },
  } as const;

  it.each(Object.keys(exports) as Array<keyof typeof exports>)(
    "reads a %s export with its column conventions",
    async (preset) => {
      const dir = join(home.root, "export");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, exports[preset].file), exports[preset].text);
      const connector = new CsvCrmConnector(dir, CSV_PRESETS[preset]);
      const snap = await snapshotCrm({
        connector,
        landingRoot: home.landing.root,
        crmName: preset,
        now: new Date("2026-01-05T00:00:00Z"),
        defaultRegion: "HK",
      });
      expect(snap.health).toMatchObject({ phones_failed: 0, mapping_error_records: 0, id_sets: ["contacts"] });
      expect(snap.counts.contacts).toBe(preset === "hubspot" ? 2 : 1);
      await expect(connector.writeTags()).rejects.toThrow(/read-only/);
    },
  );

  it("refuses a preset whose columns are not in the header, naming them", async () => {
    const dir = join(home.root, "export");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "Contact.csv"), "Id,FirstName\n1,A\n");
    await expect(new CsvCrmConnector(dir, CSV_PRESETS.salesforce).validate()).rejects.toThrow(
      /column "LastName" is not in the header of Contact.csv/,
    );
  });
});
