import { RefreshToken } from '../modules/users/refresh-token.entity.js';
import { User } from '../modules/users/user.entity.js';

/** Every entity, listed explicitly: no globbing, so the build, the scripts and the tests agree. */
export const entities = [User, RefreshToken];
