import {
  ArrayMaxSize,
  IsInt,
  IsOptional,
  Max,
  Min,
  IsISO4217CurrencyCode,
  MaxLength,
  MinLength,
  ValidateBy,
  buildMessage,
  isEmail,
  type ValidationOptions,
} from 'class-validator';
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_BYTES } from '../auth/passwords.js';
import { hasHiddenEmailCharacters, normalizeEmail, visibleCharacters } from './text.js';

/** Text the database can store and a person could have typed: bounded, no NUL byte. */
export function SafeText(options: { max: number; min?: number }): PropertyDecorator {
  return (target, property) => {
    MaxLength(options.max, { message: `$property must be at most ${options.max} characters` })(
      target,
      property,
    );
    if (options.min) MinTrimmedLength(options.min)(target, property);
    NoNulByte()(target, property);
  };
}

/** Counted in characters that show: "   " and a lone zero-width space are empty. */
export function MinTrimmedLength(min: number): PropertyDecorator {
  return ValidateBy({
    name: 'minTrimmedLength',
    validator: {
      validate: (value) => typeof value !== 'string' || [...visibleCharacters(value)].length >= min,
      defaultMessage: () => `$property must have at least ${min} visible character${min === 1 ? '' : 's'}`,
    },
  });
}

/** Optional text that, when not blank, must show something: no names made only of invisible characters. */
export function VisibleIfPresent(): PropertyDecorator {
  return ValidateBy({
    name: 'visibleIfPresent',
    validator: {
      validate: (value) => typeof value !== 'string' || !value.trim() || visibleCharacters(value) !== '',
      defaultMessage: () => '$property must contain visible characters',
    },
  });
}

export function NoNulByte(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'noNulByte',
      validator: {
        validate: (value) => typeof value !== 'string' || !value.includes('\u0000'),
        defaultMessage: buildMessage((each) => `${each}$property must not contain NUL characters`, options),
      },
    },
    options,
  );
}

/**
 * An email address as it will be stored (NFKC, trimmed, lower-cased), without control,
 * zero-width or stray combining characters that would make a look-alike of another address.
 */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmailAddress',
      validator: {
        validate: (value) => {
          if (typeof value !== 'string' || hasHiddenEmailCharacters(value)) return false;
          const email = normalizeEmail(value);
          return email.length <= 254 && isEmail(email);
        },
        defaultMessage: buildMessage((each) => `${each}$property must be a valid email address`, options),
      },
    },
    options,
  );
}

/** 8 to 72 bytes of UTF-8: bcrypt ignores everything past 72 bytes, so longer is refused. */
export function IsPassword(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isPassword',
      validator: {
        validate: (value) => {
          if (typeof value !== 'string' || value.includes('\u0000')) return false;
          const bytes = Buffer.byteLength(value, 'utf8');
          return bytes >= PASSWORD_MIN_BYTES && bytes <= PASSWORD_MAX_BYTES;
        },
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be ${PASSWORD_MIN_BYTES} to ${PASSWORD_MAX_BYTES} bytes of UTF-8 without NUL characters`,
          options,
        ),
      },
    },
    options,
  );
}

/** An ISO 4217 code such as USD or EUR. */
export function IsCurrency(): PropertyDecorator {
  return IsISO4217CurrencyCode({ message: '$property must be an ISO 4217 currency code such as USD' });
}

/** A list of short labels: at most 20, each 1..50 characters without NUL. */
export function IsTagList(): PropertyDecorator {
  return (target, property) => {
    ArrayMaxSize(20, { message: '$property must have at most 20 entries' })(target, property);
    MinLength(1, { each: true, message: 'each of $property must not be empty' })(target, property);
    MaxLength(50, { each: true, message: 'each of $property must be at most 50 characters' })(
      target,
      property,
    );
    NoNulByte({ each: true })(target, property);
  };
}

/** A list of ids, bounded so a filter cannot carry an unbounded IN list. */
export function IsIdList(): PropertyDecorator {
  return ArrayMaxSize(100, { message: '$property must have at most 100 entries' });
}

/** An optional whole number in [min, max] (null or absent: the argument's default applies). */
export function IntBetween(min: number, max: number): PropertyDecorator {
  const message = `$property must be between ${min} and ${max}`;
  return (target, property) => {
    IsOptional()(target, property);
    IsInt({ message })(target, property);
    Min(min, { message })(target, property);
    Max(max, { message })(target, property);
  };
}
