/**
 * The urlencoded reader must give exactly what URLSearchParams gives, on
 * every input: the consumer reads GET answers with it, so a difference
 * would be a difference in what is verified.
 */
import { randomInt } from 'node:crypto';
import { decodeFormComponent, readFormPairs } from '../src/form-urlencoded.js';
import { BARE_NS, Message, OPENID_NS } from '../src/message.js';
import { SREG_1_1_NS } from '../src/constants.js';

const same = (text: string): void => {
  expect([text, readFormPairs(text)]).toEqual([text, [...new URLSearchParams(text)]]);
};

describe('readFormPairs reads as URLSearchParams does', () => {
  test.each([
    '',
    '?',
    '?a=1',
    '??a=1',
    'a=1&b=2&a=3',
    '&&a=1&&',
    'a',
    'a=',
    '=a',
    '=',
    '==',
    'a=b=c',
    'a+b=c+d&a%20b=e&a%2Bb=plus',
    'k=%ZZ&k=%&k=%2&k=100%&k=%%41',
    'k=%e2%82%ac&k=%E2%82&k=%C3%A9t%C3%A9&k=%C3',
    'k=%ED%A0%80&k=%F0%9F%98%80+x&k=%F4%90%80%80&k=%C0%AF&k=%FF',
    'caf%C3%A9=1&café=2&é=%E9',
    'k=\ud800&k=a\udc00b&\ud83d\ude00=ok',
    'k=%00&k=\u0000&nul%00name=1',
    'openid.ns=http%3A%2F%2Fspecs.openid.net%2Fauth%2F2.0&openid.mode=id_res&openid.return_to=http%3A%2F%2Frp.example%2Freturn%3Fa%3D1%26b%3D2',
    '#a=1&b=#',
  ])('%j', (text) => same(text));

  test('random texts over the characters that matter', () => {
    const alphabet = ['a', 'b', '=', '&', '+', '%', '%2', '%41', '%2B', '%26', '%3D', '%C3%A9', '%E2%82', '%ED%A0%80', '%FF', 'é', '\ud800', '\udc00', '😀', ' ', '?', '#', '\0'];
    for (let run = 0; run < 3000; run += 1) {
      let text = '';
      const length = randomInt(0, 16);
      for (let i = 0; i < length; i += 1) text += alphabet[randomInt(alphabet.length)];
      same(text);
    }
  });

  test('decodeFormComponent decodes one component as URLSearchParams decodes a value', () => {
    for (const raw of ['a+b', '%2B', '%26x', 'a=b', '%', '%C3%A9', '%ED%A0%80', '\ud800', 'plain']) {
      expect([raw, decodeFormComponent(raw)]).toEqual([raw, new URLSearchParams(`v=${raw.replaceAll('&', '%26')}`).get('v')]);
    }
  });
});

describe('Message.toURLEncoded', () => {
  test('Message.toURLEncoded is URLSearchParams over toPostArgs, and reads back to the same message', () => {
    const message = new Message();
    message.setArg(OPENID_NS, 'mode', 'id_res');
    message.setArg(OPENID_NS, 'return_to', "http://rp.example/return?a=1&b=x y&c=!'()~*");
    message.setArg(SREG_1_1_NS, 'fullname', 'Zoë Ünïcode 東京 😀 a+b');
    message.setArg(BARE_NS, 'state', 'x&y=z');
    const encoded = message.toURLEncoded();
    expect(encoded).toBe(new URLSearchParams(Object.entries(message.toPostArgs())).toString());
    expect(Message.fromPostArgs(readFormPairs(encoded)).toPostArgs()).toEqual(message.toPostArgs());
  });
});
