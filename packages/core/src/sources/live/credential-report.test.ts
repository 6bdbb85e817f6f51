import { describe, expect, it } from 'vitest';
import { parseCredentialReport, ROOT_ROW } from './credential-report.js';

const HEADER =
  'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

describe('parseCredentialReport', () => {
  it('reads the root row, passwords, MFA and both key slots, turning N/A and friends into null', () => {
    const text = [
      HEADER,
      '<root_account>,arn:aws:iam::111122223333:root,2019-01-01T00:00:00+00:00,not_supported,2024-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,true,2020-01-01T00:00:00+00:00,no_information,N/A,N/A,false,N/A,false,N/A',
      'alice,arn:aws:iam::111122223333:user/alice,2020-01-01T00:00:00+00:00,true,no_information,2020-01-01T00:00:00+00:00,N/A,false,true,2021-02-03T04:05:06+00:00,2024-01-01T00:00:00+00:00,eu-west-1,s3,false,2022-01-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A',
      'bob,arn:aws:iam::111122223333:user/bob,2020-01-01T00:00:00+00:00,false,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A',
      '',
    ].join('\n');
    const [root, alice, bob] = parseCredentialReport(text);
    expect(root).toEqual({
      user: ROOT_ROW,
      arn: 'arn:aws:iam::111122223333:root',
      passwordEnabled: undefined,
      passwordLastUsed: '2024-05-01T10:00:00.000Z',
      mfaActive: true,
      accessKeys: [{ slot: 2, active: true, lastRotated: '2020-01-01T00:00:00.000Z', lastUsed: null }],
    });
    expect(alice).toMatchObject({
      passwordEnabled: true,
      passwordLastUsed: null,
      mfaActive: false,
      accessKeys: [
        { slot: 1, active: true, lastRotated: '2021-02-03T04:05:06.000Z', lastUsed: '2024-01-01T00:00:00.000Z' },
        { slot: 2, active: false, lastRotated: '2022-01-01T00:00:00.000Z', lastUsed: null },
      ],
    });
    expect(bob).toMatchObject({ passwordEnabled: false, mfaActive: true, accessKeys: [] });
  });

  it('keeps a user whose name has commas, quoted or not', () => {
    const tail = '2020-01-01T00:00:00+00:00,true,N/A,N/A,N/A,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A';
    const rows = parseCredentialReport(
      [HEADER, `"a,b",arn:aws:iam::1:user/a,b,${tail}`.replace('arn:aws:iam::1:user/a,b', '"arn:aws:iam::1:user/a,b"'), `c,d,arn:aws:iam::1:user/c,d,${tail}`].join('\n'),
    );
    expect(rows.map((r) => [r.user, r.arn, r.passwordEnabled, r.mfaActive])).toEqual([
      ['a,b', 'arn:aws:iam::1:user/a,b', true, true],
      ['c,d', 'arn:aws:iam::1:user/c,d', true, true],
    ]);
  });

  it('reads an empty report as no rows', () => {
    expect(parseCredentialReport('')).toEqual([]);
    expect(parseCredentialReport(`${HEADER}\n`)).toEqual([]);
  });
});
