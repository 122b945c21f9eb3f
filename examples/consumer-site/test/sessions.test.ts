/**
 * 21.11: sessions live in the same backend as the OpenID store, so a
 * provider restart in the middle of a sign-in (after the consent page was
 * shown) does not lose it, and two provider instances behind one URL share
 * sign-ins and pending requests.
 */
import { CookieClient, describeWith, mysqlAvailability, MYSQL_URL, postgresAvailability, POSTGRES_URL, redisAvailability, REDIS_URL, uniquePrefix } from 'openid-test-helpers';
import { consent, DEMO, startSites, toConsent, type Sites, type SitesOptions } from './sites-fixture.js';

/** Up to the consent page, a provider restart, then consent: the sign-in completes with the profile. */
async function restartMidLogin(sites: Sites): Promise<void> {
  const client = new CookieClient();
  const atConsent = await toConsent(sites, client);
  expect(atConsent.body).toContain('Allow sign-in?');
  await sites.restartProvider();
  const done = await consent(sites, client, atConsent, 'allow');
  expect(done.url).toBe(`${sites.consumer.url}/profile`);
  expect(done.body).toContain(`${sites.provider.url}/user/${DEMO.name}`);
  expect(done.body).toContain(DEMO.email);
}

function backend(name: string, options: () => SitesOptions): void {
  let sites: Sites;
  beforeAll(async () => {
    sites = await startSites(options());
  });
  afterAll(() => sites?.close());
  test(`21.11: ${name}: a provider restart after the consent page was shown does not lose the sign-in`, () => restartMidLogin(sites));
}

describe('21.11: sessions in SQLite (the default)', () => {
  backend('SQLite', () => ({}));
});

const onRedis = (instances: number): SitesOptions => {
  const storePrefix = uniquePrefix('ex');
  return { instances, provider: { storeUrl: REDIS_URL, storePrefix }, consumer: { storeUrl: REDIS_URL, storePrefix } };
};

describeWith('Redis', await redisAvailability(), () => {
  describe('one instance', () => {
    backend('Redis', () => onRedis(1));
  });

  describe('two provider instances behind one URL', () => {
    let sites: Sites;
    beforeAll(async () => {
      sites = await startSites(onRedis(2));
    });
    afterAll(() => sites?.close());

    test('21.11: Redis: a sign-in whose requests alternate between two provider instances completes, and so does the next one after a restart of both', async () => {
      const client = new CookieClient();
      const done = await consent(sites, client, await toConsent(sites, client), 'allow');
      expect(done.url).toBe(`${sites.consumer.url}/profile`);
      expect(done.body).toContain(DEMO.email);
      await restartMidLogin(sites);
    });
  });
});

describeWith('PostgreSQL', await postgresAvailability(), () => {
  backend('PostgreSQL', () => {
    const storePrefix = uniquePrefix('ex');
    return { provider: { storeUrl: POSTGRES_URL, storePrefix }, consumer: { storeUrl: POSTGRES_URL, storePrefix } };
  });
});

describeWith('MySQL', await mysqlAvailability(), () => {
  backend('MySQL', () => {
    const storePrefix = uniquePrefix('ex');
    return { provider: { storeUrl: MYSQL_URL, storePrefix }, consumer: { storeUrl: MYSQL_URL, storePrefix } };
  });
});
