import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from '../../api/client';
import type { Me } from '../../api/types';

interface Session {
  /** undefined while the first session check runs, null when signed out. */
  user: Me | null | undefined;
  /** Set when the session check itself failed (server unreachable), as opposed to "not signed in". */
  checkError: Error | null;
  retryCheck(): void;
  signIn(email: string, password: string): Promise<Me>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);
const SESSION_KEY = ['session'] as const;

/**
 * The session cookie is httpOnly, so the page cannot see whether one exists. This hint spares a visitor who
 * never signed in a 401 from /auth/me (which browsers log as a console error); the server stays the authority.
 */
const HINT = 'rapport.signedIn';
const hint = {
  get: () => {
    try {
      return localStorage.getItem(HINT) === '1';
    } catch {
      return true;
    }
  },
  set: (on: boolean) => {
    try {
      if (on) localStorage.setItem(HINT, '1');
      else localStorage.removeItem(HINT);
    } catch {
      // Storage can be disabled; the session check then always runs.
    }
  },
};

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const me = useQuery({
    queryKey: SESSION_KEY,
    // A reload loses the in-memory CSRF token; /auth/me hands it back for the cookie's session.
    queryFn: async ({ signal }) => {
      if (!hint.get()) return null;
      try {
        const user = await api.get('/api/v1/auth/me', { signal });
        api.setCsrfToken(user.csrfToken);
        return user;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          hint.set(false);
          return null;
        }
        throw err;
      }
    },
    staleTime: Infinity,
    retry: 1,
  });

  useEffect(() => {
    api.onUnauthenticated(() => {
      hint.set(false);
      api.setCsrfToken(null);
      queryClient.setQueryData(SESSION_KEY, null);
    });
    return () => api.onUnauthenticated(null);
  }, [queryClient]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      const user = await api.post('/api/v1/auth/login', { body: { email, password } });
      api.setCsrfToken(user.csrfToken);
      hint.set(true);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== SESSION_KEY[0] });
      queryClient.setQueryData(SESSION_KEY, user);
      return user;
    },
    [queryClient],
  );

  const signOut = useCallback(async () => {
    try {
      await api.post('/api/v1/auth/logout');
    } finally {
      hint.set(false);
      api.setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
    }
  }, [queryClient]);

  // A failed session check (server down) is not "signed out": keep undefined so the shell shows the error.
  const user = me.isError ? undefined : me.data;
  const checkError = me.error;
  const refetch = me.refetch;
  const value = useMemo<Session>(
    () => ({ user, checkError, retryCheck: () => void refetch(), signIn, signOut }),
    [user, checkError, refetch, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
