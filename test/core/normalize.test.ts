import { describe, expect, it } from 'vitest';
import { searchKey, toSearchForm } from '../../functions/core/normalize';

describe('search form', () => {
  it('unifies alef, yaa and taa marbuta and drops diacritics, tatweel and bidi controls', () => {
    expect(searchKey('أستانا')).toBe(searchKey('آستانا'));
    expect(searchKey('إستانة')).toBe('استانه');
    expect(searchKey('مصطفى')).toBe('مصطفي');
    expect(searchKey('يعقِّب')).toBe('يعقب');
    expect(searchKey('الـــسلام\u202Bعليكم')).toBe('السلامعليكم');
  });

  it('folds Arabic-Indic and Persian digits to Western digits', () => {
    expect(searchKey('٣٠ ديسمبر ٢٠١٦')).toBe('30 ديسمبر 2016');
    expect(searchKey('۱۴۰۲')).toBe('1402');
  });

  it('folds presentation forms to base letters', () => {
    expect(searchKey('\uFEDF\uFEE0\uFE8E')).toBe(searchKey('للا'));
  });

  it('maps every search-form character back to the original character it came from', () => {
    const original = 'وقال كيري «نأمل»';
    const sf = toSearchForm(original);
    const at = sf.text.indexOf('كيري');
    expect(original.slice(sf.offsets[at], (sf.offsets[at + 3] as number) + 1)).toBe('كيري');
  });
});
